import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { ErpKeys } from './erp-keys';

/** The public key services verify this gateway's call tokens with (INTEGRATION_JWKS_URL). */
@Public()
@ApiExcludeController()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: ErpKeys) {}

  @Get('jwks.json')
  jwks() {
    return this.keys.jwks();
  }
}
