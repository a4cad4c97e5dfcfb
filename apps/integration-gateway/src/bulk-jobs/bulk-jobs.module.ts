import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { ProcessSyncModule } from '../process-sync/process-sync.module';
import { SyncLogModule } from '../sync-log/sync-log.module';
import { BulkJobAccess } from './bulk-job-access';
import { BulkJobRepository } from './bulk-job.repository';
import { BulkJobResultsService } from './bulk-job-results/bulk-job-results.service';
import { BulkJobsController } from './bulk-jobs.controller';
import { CloseBulkJobService } from './close-bulk-job/close-bulk-job.service';
import { CreateBulkJobService } from './create-bulk-job/create-bulk-job.service';
import { GetBulkJobService } from './get-bulk-job/get-bulk-job.service';
import { ListBulkJobsService } from './list-bulk-jobs/list-bulk-jobs.service';
import { ProcessBulkJobsJob } from './process-bulk-jobs/process-bulk-jobs.job';
import { ProcessBulkJobsService } from './process-bulk-jobs/process-bulk-jobs.service';
import { UPLOAD_MEDIA_TYPES, UploadBulkJobDataService } from './upload-bulk-job-data/upload-bulk-job-data.service';

/** Bulk jobs (/erp/v1/jobs): uploads parsed as they stream in, rows applied by a pg-boss job. */
@Module({
  imports: [JobsModule, SyncLogModule, ProcessSyncModule],
  controllers: [BulkJobsController],
  providers: [
    BulkJobRepository,
    BulkJobAccess,
    CreateBulkJobService,
    UploadBulkJobDataService,
    CloseBulkJobService,
    GetBulkJobService,
    ListBulkJobsService,
    BulkJobResultsService,
    ProcessBulkJobsService,
    ProcessBulkJobsJob,
  ],
})
export class BulkJobsModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  /**
   * Uploads reach the route as the raw request stream (request.body), never buffered: the upload
   * media types get a content-type parser that passes the payload through (Fastify's body limit
   * applies to buffering parsers only; the upload's own limit is BULK_UPLOAD_MAX_BYTES).
   */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    for (const type of Object.keys(UPLOAD_MEDIA_TYPES)) {
      if (!fastify.hasContentTypeParser(type)) fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
  }
}
