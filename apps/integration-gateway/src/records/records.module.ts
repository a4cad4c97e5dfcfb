import { Module } from '@nestjs/common';
import { FieldOwnershipRepository } from '../process-sync/field-ownership/field-ownership.repository';
import { SyncLogRepository } from '../sync-log/sync-log.repository';
import { DeleteRecordController } from './delete-record/delete-record.controller';
import { DeleteRecordService } from './delete-record/delete-record.service';
import { GetRecordController } from './get-record/get-record.controller';
import { GetRecordService } from './get-record/get-record.service';
import { UpsertRecordController } from './upsert-record/upsert-record.controller';
import { UpsertRecordService } from './upsert-record/upsert-record.service';

/** PUT / GET / DELETE /erp/v1/{object}/{system}/{externalId}: one record by its external id, through the owning service. */
@Module({
  controllers: [UpsertRecordController, GetRecordController, DeleteRecordController],
  providers: [UpsertRecordService, GetRecordService, DeleteRecordService, FieldOwnershipRepository, SyncLogRepository],
})
export class RecordsModule {}
