import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '@crm/service-kit';
import { PROCESS_CONTACT_EXPORTS_JOB, ProcessContactExportsService } from './process-contact-exports.service';

/** Every minute (and when an export is asked for): builds queued exports, resumes stalled ones, deletes expired ones. */
@Injectable()
export class ProcessContactExportsJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly service: ProcessContactExportsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: PROCESS_CONTACT_EXPORTS_JOB, cron: '* * * * *', run: () => this.service.drain() });
  }
}
