import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@crm/observability';
import { JwtKeys } from './jwt-keys';

@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.keys.jwks();
  }
}
