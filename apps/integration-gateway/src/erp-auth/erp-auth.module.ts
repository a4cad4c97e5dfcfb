import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ErpAuthGuard } from './erp-auth.guard';
import { ErpBus } from './erp-bus';
import { ErpKeys } from './erp-keys';
import { ErpTokens } from './erp-tokens';
import { JwksController } from './jwks.controller';

/** ERP clients' tokens, the guard on every route, and the bus calls made for a client. */
@Global()
@Module({
  controllers: [JwksController],
  providers: [ErpKeys, ErpTokens, ErpBus, { provide: APP_GUARD, useClass: ErpAuthGuard }],
  exports: [ErpKeys, ErpTokens, ErpBus],
})
export class ErpAuthModule {}
