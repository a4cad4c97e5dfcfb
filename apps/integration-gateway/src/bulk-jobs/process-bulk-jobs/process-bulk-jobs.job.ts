import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '@crm/service-kit';
import { PROCESS_BULK_JOBS_JOB, ProcessBulkJobsService } from './process-bulk-jobs.service';

/** Every minute (and when a job is closed): works closed bulk jobs and resumes those whose worker stopped. */
@Injectable()
export class ProcessBulkJobsJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly service: ProcessBulkJobsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: PROCESS_BULK_JOBS_JOB, cron: '* * * * *', run: () => this.service.drain() });
  }
}
