import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../app.config';
import { JobScheduler } from '@crm/service-kit';
import { PurgeDeletedService } from './purge-deleted.service';

/** The pg-boss queue (and schedule) of the purge. */
export const PURGE_DELETED_JOB = 'contacts.purge-deleted';

/** Registers the purge as a recurring job on `CONTACTS_PURGE_CRON` (UTC). */
@Injectable()
export class PurgeDeletedJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly service: PurgeDeletedService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: PURGE_DELETED_JOB, cron: this.config.CONTACTS_PURGE_CRON, run: () => this.service.purgeDue() });
  }
}
