import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CallTokens } from './call-tokens';
import { ServiceBus } from './service-bus';

/** The gateway's edge to the bus: every feature module's routes call services through ServiceBus. */
@Global()
@Module({ imports: [AuthModule], providers: [ServiceBus, CallTokens], exports: [ServiceBus] })
export class EdgeModule {}
