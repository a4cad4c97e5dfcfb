import { Module } from '@nestjs/common';
import { ChangeLogRepository } from './change-log.repository';
import { ChangeNotifier } from './change-notifier';
import { ReadChangesController } from './read-changes/read-changes.controller';
import { ReadChangesService } from './read-changes/read-changes.service';
import { ChangeEventsHandler } from './record-changes/change-events.handler';
import { RecordChangesService } from './record-changes/record-changes.service';

/** The change feed: every CRM event an ERP may read, kept in order, read by cursor with long polls. */
@Module({
  controllers: [ChangeEventsHandler, ReadChangesController],
  providers: [ChangeLogRepository, ChangeNotifier, RecordChangesService, ReadChangesService],
  exports: [RecordChangesService, ChangeLogRepository],
})
export class ChangesModule {}
