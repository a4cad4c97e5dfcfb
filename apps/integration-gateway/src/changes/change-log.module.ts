import { Module } from '@nestjs/common';
import { ChangeLogRepository } from './change-log.repository';

/** The change log's table, shared by the feed and the webhook dispatcher. */
@Module({ providers: [ChangeLogRepository], exports: [ChangeLogRepository] })
export class ChangeLogModule {}
