import { Module } from '@nestjs/common';
import { TicketsController } from './tickets.controller';

/** The tickets routes, answered by the support-tickets service over the bus. */
@Module({ controllers: [TicketsController] })
export class TicketsRoutesModule {}
