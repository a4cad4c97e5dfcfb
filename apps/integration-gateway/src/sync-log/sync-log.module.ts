import { Module } from '@nestjs/common';
import { ListSyncLogController } from './list-sync-log/list-sync-log.controller';
import { ListSyncLogHandler } from './list-sync-log/list-sync-log.handler';
import { ListSyncLogService } from './list-sync-log/list-sync-log.service';
import { SyncLogRepository } from './sync-log.repository';

/** The sync log: every feature records into it; admins (API gateway) and ERP clients read it. */
@Module({
  controllers: [ListSyncLogHandler, ListSyncLogController],
  providers: [SyncLogRepository, ListSyncLogService],
  exports: [SyncLogRepository],
})
export class SyncLogModule {}
