import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { NotRateLimited, Public } from '@crm/observability';
import { JwtKeys } from './jwt-keys';

@Public()
@NotRateLimited()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @ApiOperation({ operationId: 'getJwks', summary: 'The public keys that verify access tokens (JWKS)' })
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.keys.jwks();
  }
}
