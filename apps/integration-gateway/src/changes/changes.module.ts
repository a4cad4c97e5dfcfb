import { Module } from '@nestjs/common';
import { AsyncApiController } from '../asyncapi/asyncapi.controller';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ChangeCursor } from './change-cursor';
import { ChangeLogModule } from './change-log.module';
import { ChangeNotifier } from './change-notifier';
import { ListChangesHttpController } from './list-changes/list-changes.http.controller';
import { ListChangesService } from './list-changes/list-changes.service';
import { RecordChangesHandler } from './record-changes/record-changes.handler';
import { RecordChangesService } from './record-changes/record-changes.service';

/** The change log (every domain event of the services, as CloudEvents) and its feed. */
@Module({
  imports: [ChangeLogModule, WebhooksModule],
  controllers: [RecordChangesHandler, ListChangesHttpController, AsyncApiController],
  providers: [ChangeCursor, ChangeNotifier, ListChangesService, RecordChangesService],
  exports: [RecordChangesService],
})
export class ChangesModule {}
