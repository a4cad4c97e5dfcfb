import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { listContacts } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { JobScheduler } from '@crm/service-kit';
import { stringify } from 'csv-stringify/sync';
import { AppConfig } from '../../app.config';
import { ErpBus } from '../../erp-auth/erp-bus';
import type { ErpClient } from '../../erp-auth/erp-client';
import { csvRecord, vcard, type ContactExportRecord, type ExportColumn } from '../contact-export';
import { ContactExportRepository } from '../contact-export.repository';

export const PROCESS_CONTACT_EXPORTS_JOB = 'integration-gateway.contact-exports.process';
/** Contacts per page of the contacts list (its maximum). */
const PAGE = 100;

/**
 * Builds queued contacts exports: pages through the contacts list over the bus as the client
 * (contacts:read), oldest first so a page boundary never moves, and writes each page as a chunk
 * of the file with the cursor of the next one (a restart resumes there). Also deletes expired exports.
 */
@Injectable()
export class ProcessContactExportsService implements OnModuleDestroy {
  private readonly logger = new Logger(ProcessContactExportsService.name);
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(
    private readonly repository: ContactExportRepository,
    private readonly bus: ErpBus,
    private readonly scheduler: JobScheduler,
    private readonly config: AppConfig,
  ) {}

  async wake(): Promise<void> {
    if (!this.config.INTEGRATION_GATEWAY_JOBS_ENABLED) return;
    await this.scheduler.trigger(PROCESS_CONTACT_EXPORTS_JOB).catch((error: Error) => this.logger.warn(`could not queue the export run: ${error.message}`));
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) => this.logger.error(`contact exports: ${error.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          void this.wake();
        }
      });
  }

  async drain(): Promise<void> {
    await this.repository.deleteExpired();
    for (;;) {
      if (this.stopping) return;
      const job = await this.repository.claimNext(this.config.BULK_JOB_STALE_SECONDS);
      if (!job) return;
      await this.build(job);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async build(job: ContactExportRecord): Promise<void> {
    const client: ErpClient = { tenantId: job.tenant_id, clientId: job.client_id, scopes: ['contacts:read'] };
    const columns = job.columns as ExportColumn[];
    let cursor = job.cursor ?? undefined;
    let seq = job.chunks;
    // A resumed export whose last page was written is complete when it has no cursor left.
    if (seq > 0 && !cursor) return this.repository.finish(job.id, 'completed');
    for (;;) {
      if (this.stopping) return this.repository.release(job.id);
      let page;
      try {
        page = await this.bus.call(listContacts, { cursor, limit: PAGE, filter: {}, sort: 'createdAt' }, client);
      } catch (error) {
        // A refusal (the client lost the right, the list is unknown) ends the export; no answer leaves it to resume.
        if (error instanceof RemoteError) return this.repository.finish(job.id, 'failed', `${error.code}: ${error.message}`);
        throw error;
      }
      seq++;
      const data =
        job.format === 'csv'
          ? stringify([...(seq === 1 ? [columns] : []), ...page.data.map((contact) => csvRecord(contact, columns))])
          : page.data.map(vcard).join('');
      await this.repository.appendChunk(job.id, seq, data, page.data.length, page.nextCursor);
      if (!page.nextCursor) return this.repository.finish(job.id, 'completed');
      cursor = page.nextCursor;
    }
  }
}
