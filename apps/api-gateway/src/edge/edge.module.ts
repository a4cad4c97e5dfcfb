import { Global, Module } from '@nestjs/common';
import { ServiceBus } from './service-bus';

/** The gateway's edge to the bus: every feature module's routes call services through ServiceBus. */
@Global()
@Module({ providers: [ServiceBus], exports: [ServiceBus] })
export class EdgeModule {}
