import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { CallTokens } from './call-tokens';
import { RelayedJsonInterceptor } from './relayed-json';
import { ServiceBus } from './service-bus';

/** The gateway's edge to the bus: every feature module's routes call services through ServiceBus. */
@Global()
@Module({ imports: [AuthModule], providers: [ServiceBus, CallTokens, { provide: APP_INTERCEPTOR, useClass: RelayedJsonInterceptor }], exports: [ServiceBus] })
export class EdgeModule {}
