import { Module } from '@nestjs/common';
import { ParkedMessagesController } from './parked-messages/parked-messages.controller';
import { ParkedMessagesService } from './parked-messages/parked-messages.service';
import { PlatformParkedMessagesController } from './parked-messages/platform-parked-messages.controller';

/** The bus's parked messages of each service: a tenant admin sees its own tenant's, the platform operator every tenant's. */
@Module({ controllers: [ParkedMessagesController, PlatformParkedMessagesController], providers: [ParkedMessagesService] })
export class OperationsModule {}
