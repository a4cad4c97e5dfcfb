import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { bulkJobFinished, externalItemSchema, type ExternalItemResult, type RpcContract } from '@crm/contracts';
import { EventPublisher, RemoteError } from '@crm/messaging';
import { JobScheduler } from '@crm/service-kit';
import { TransactionHost } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ErpBus } from '../../erp-auth/erp-bus';
import { FieldOwnershipRepository } from '../../process-sync/field-ownership/field-ownership.repository';
import { SyncLogRepository } from '../../sync-log/sync-log.repository';
import { OBJECT_COMMANDS, toBulkJob, WRITE_SCOPE, type BulkObject } from '../bulk-job';
import { BulkJobRecord, BulkJobRepository, type PendingRow } from '../bulk-job.repository';

/** The pg-boss job that works closed bulk jobs (and resumes stalled ones): every minute, and at once when a job is closed. */
export const PROCESS_BULK_JOBS_JOB = 'integration-gateway.bulk-jobs.process';
export const BATCH_SIZE = 1_000;
/** Attempts of a batch whose call failed for want of an answer (timeout, service down) before the job is left to resume later. */
const CALL_ATTEMPTS = 3;

type RowResult = ExternalItemResult & { line: number };

/** The owning service cannot run the job at all (it does not know the command): the job fails as a whole. */
class JobFailure extends Error {}

/**
 * Applies the rows of closed bulk jobs through the owning service's upsert-external /
 * delete-external commands, 1,000 rows a call with BULK_JOB_CONCURRENCY calls in flight, the
 * CRM-owned fields of the tenant passed along (field ownership). Every row gets its result (a
 * parse error or an invalid item fails alone, never the batch); results and counters are
 * written per batch, so a job resumes after a restart where it was (rows without a result).
 * Each item is recorded in the sync log, and the job's end publishes
 * integration-gateway.bulk-job.finished.v1.
 */
@Injectable()
export class ProcessBulkJobsService implements OnModuleDestroy {
  private readonly logger = new Logger(ProcessBulkJobsService.name);
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(
    private readonly repository: BulkJobRepository,
    private readonly bus: ErpBus,
    private readonly fieldOwnership: FieldOwnershipRepository,
    private readonly syncLog: SyncLogRepository,
    private readonly events: EventPublisher,
    private readonly transactions: TransactionHost,
    private readonly scheduler: JobScheduler,
    private readonly config: AppConfig,
  ) {}

  /**
   * A job was closed: the pg-boss job is asked for (durable: whichever replica takes it), and
   * this replica starts working at once if jobs run here (claims are exclusive, so both may run).
   */
  async wake(): Promise<void> {
    if (!this.config.INTEGRATION_GATEWAY_JOBS_ENABLED) return;
    await this.scheduler.trigger(PROCESS_BULK_JOBS_JOB).catch((error: Error) => this.logger.warn(`could not queue the bulk job run: ${error.message}`));
    this.kick();
  }

  /** Works every job there is to work, one after the other (the pg-boss job's run). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const job = await this.repository.claimNext(this.config.BULK_JOB_STALE_SECONDS);
      if (!job) return;
      await this.process(job);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) => this.logger.error(`bulk jobs: ${error.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One job, from its first row without a result to its end. */
  async process(job: BulkJobRecord): Promise<void> {
    const object = job.object as BulkObject;
    const contract = job.operation === 'delete' ? OBJECT_COMMANDS[object].delete : OBJECT_COMMANDS[object].upsert;
    if (!contract) return this.finish(job, 'failed', `${object} cannot be deleted by external id`);
    const client: ErpClient = { tenantId: job.tenant_id, clientId: job.client_id, scopes: [WRITE_SCOPE[object]] };
    const crmOwnedFields = job.operation === 'upsert' ? await this.fieldOwnership.crmOwnedFields(job.tenant_id, object) : [];
    const inFlight = new Set<Promise<boolean>>();
    let failure: unknown;
    let open = true;
    let after = 0;
    while (open && failure === undefined) {
      if (this.stopping) break;
      const page = await this.repository.rowsAfter(job.id, after, BATCH_SIZE);
      if (page.rows.length === 0) break;
      after = page.rows[page.rows.length - 1].line;
      const rows = page.rows.filter((row) => !page.done.has(row.line));
      if (rows.length === 0) continue;
      const batch: Promise<boolean> = this.applyBatch(job, contract, client, crmOwnedFields, rows).then(
        (stillOpen) => {
          inFlight.delete(batch);
          if (!stillOpen) open = false;
          return stillOpen;
        },
        (error: unknown) => {
          inFlight.delete(batch);
          failure ??= error;
          return false;
        },
      );
      inFlight.add(batch);
      if (inFlight.size >= this.config.BULK_JOB_CONCURRENCY) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure instanceof JobFailure) return this.finish(job, 'failed', failure.message);
    if (failure !== undefined) {
      // The owning service did not answer: the job stays in progress and resumes when its worker is seen stale.
      const message = failure instanceof Error ? failure.message : String(failure);
      await this.repository.noteError(job.id, `stalled, will resume: ${message}`);
      throw failure;
    }
    if (!open) return; // aborted meanwhile
    if (this.stopping) return this.repository.release(job.id);
    await this.finish(job, 'job_complete');
  }

  private async finish(job: BulkJobRecord, state: 'job_complete' | 'failed', error?: string): Promise<void> {
    await this.transactions.withTransaction(async () => {
      const done = await this.repository.finish(job.id, state, error);
      if (!done) return;
      await this.repository.deleteRows(job.id);
      const view = toBulkJob(done);
      await this.events.publish(
        bulkJobFinished,
        { job: view, clientId: job.client_id },
        { tenantId: job.tenant_id, subject: job.id, entityVersion: done.version },
      );
      await this.syncLog.record([
        {
          tenantId: job.tenant_id,
          clientId: job.client_id,
          direction: 'inbound',
          object: job.object,
          system: job.system,
          operation: `bulk-${job.operation}`,
          status: state === 'job_complete' ? 'applied' : 'failed',
          detail: {
            bulkJobId: job.id,
            rowsTotal: view.rowsTotal,
            rowsCreated: view.rowsCreated,
            rowsUpdated: view.rowsUpdated,
            rowsUnchanged: view.rowsUnchanged,
            rowsFailed: view.rowsFailed,
          },
          error: error ?? null,
        },
      ]);
    });
  }

  /** One batch: its results stored (false when the job left in_progress meanwhile). */
  private async applyBatch(job: BulkJobRecord, contract: RpcContract, client: ErpClient, crmOwnedFields: string[], rows: PendingRow[]): Promise<boolean> {
    const results: RowResult[] = [];
    const items: { externalId: string; line: number; record?: Record<string, unknown> }[] = [];
    for (const row of rows) {
      const externalId = row.external_id ?? '';
      if (row.parse_error !== null) {
        results.push({ line: row.line, externalId, outcome: 'failed', error: { code: 'VALIDATION_FAILED', message: row.parse_error } });
        continue;
      }
      const item = { externalId, line: row.line, ...(job.operation === 'delete' ? {} : { record: row.record as Record<string, unknown> }) };
      const checked = externalItemSchema.safeParse({ record: {}, ...item });
      if (!checked.success) {
        const message = checked.error.issues.map((issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`).join('; ');
        results.push({ line: row.line, externalId, outcome: 'failed', error: { code: 'VALIDATION_FAILED', message } });
        continue;
      }
      items.push(item);
    }
    results.push(...(await this.apply(job, contract, client, crmOwnedFields, items)));
    const open = await this.repository.recordResults(job, results);
    return open;
  }

  /**
   * The items' results from the owning service. A batch refused as a whole (VALIDATION_FAILED of
   * the message, or an INTERNAL error an item provoked) is split in halves until the bad item
   * fails alone; another refusal fails the batch's items with its code; no answer (timeout,
   * service down) is retried, then thrown: the job stalls and resumes later.
   */
  private async apply(
    job: BulkJobRecord,
    contract: RpcContract,
    client: ErpClient,
    crmOwnedFields: string[],
    items: { externalId: string; line: number; record?: Record<string, unknown> }[],
  ): Promise<RowResult[]> {
    if (items.length === 0) return [];
    const request = job.operation === 'delete' ? { system: job.system, items } : { system: job.system, crmOwnedFields, items };
    let response: { results: ExternalItemResult[] };
    try {
      response = (await this.callWithRetries(contract, request, client)) as { results: ExternalItemResult[] };
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      if (error.code === 'UNKNOWN_MESSAGE') throw new JobFailure(`the owning service does not take ${contract.name}: ${error.message}`);
      const splittable = error.code === 'VALIDATION_FAILED' || error.code === 'INTERNAL';
      if (items.length === 1 || !splittable) {
        return items.map((item) => ({
          line: item.line,
          externalId: item.externalId,
          outcome: 'failed' as const,
          error: { code: error.code, message: error.message },
        }));
      }
      const half = Math.ceil(items.length / 2);
      return [
        ...(await this.apply(job, contract, client, crmOwnedFields, items.slice(0, half))),
        ...(await this.apply(job, contract, client, crmOwnedFields, items.slice(half))),
      ];
    }
    if (response.results.length !== items.length) throw new Error(`${contract.name} answered ${response.results.length} results for ${items.length} items`);
    return response.results.map((result, i) => ({ ...result, line: items[i].line, externalId: items[i].externalId }));
  }

  private async callWithRetries(contract: RpcContract, request: unknown, client: ErpClient): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.bus.call(contract, request as never, client);
      } catch (error) {
        if (error instanceof RemoteError || attempt >= CALL_ATTEMPTS || this.stopping) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
  }
}
