import { Module } from '@nestjs/common';
import { ParkedMessagesController } from './parked-messages/parked-messages.controller';
import { ParkedMessagesService } from './parked-messages/parked-messages.service';

/** Operator routes (admin only): the bus's parked messages of each service. */
@Module({ controllers: [ParkedMessagesController], providers: [ParkedMessagesService] })
export class OperationsModule {}
