import { Injectable } from '@nestjs/common';
import { insertRecords } from '@crm/service-kit';
import { sql, type Selectable } from 'kysely';
import type { ExternalItemResult } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import type { BulkJob as BulkJobTable, DB } from '../generated/kysely/database';
import type { BulkContentType, BulkJobState, BulkObject, BulkOperation } from './bulk-job';
import type { ParsedRow } from './parsers/row-parser';

export type BulkJobRecord = Selectable<BulkJobTable>;

export interface NewBulkJob {
  id: string;
  tenantId: string;
  clientId: string;
  object: BulkObject;
  operation: BulkOperation;
  system: string;
  externalIdField: string;
  columnMapping: Record<string, string>;
  contentType: BulkContentType;
}

/** A stored row waiting for its result. */
export interface PendingRow {
  line: number;
  external_id: string | null;
  record: unknown;
  parse_error: string | null;
}

/** A row's result as stored (and downloaded). */
export interface StoredResult {
  line: number;
  external_id: string | null;
  outcome: string;
  record_id: string | null;
  error_code: string | null;
  error: string | null;
  fields: unknown;
}

/** bulk_job, bulk_job_row and bulk_job_result: every statement of the bulk jobs. */
@Injectable()
export class BulkJobRepository {
  constructor(private readonly db: Database) {}

  async create(job: NewBulkJob): Promise<BulkJobRecord> {
    return this.db
      .insertInto('bulk_job')
      .values({
        id: job.id,
        tenant_id: job.tenantId,
        client_id: job.clientId,
        object: job.object,
        operation: job.operation,
        system: job.system,
        external_id_field: job.externalIdField,
        column_mapping: JSON.stringify(job.columnMapping),
        content_type: job.contentType,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The tenant's job (another tenant's is undefined: 404). */
  async find(tenantId: string, id: string): Promise<BulkJobRecord | undefined> {
    return this.db.selectFrom('bulk_job').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** The tenant's jobs, newest first, after the (created_at, id) of the previous page's last. */
  async list(tenantId: string, objects: string[], after: { createdAt: Date; id: string } | undefined, limit: number): Promise<BulkJobRecord[]> {
    let query = this.db.selectFrom('bulk_job').selectAll().where('tenant_id', '=', tenantId).where('object', 'in', objects);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'asc').limit(limit).execute();
  }

  /** The last line stored so far: a further upload to the job continues after it. */
  async lastLine(jobId: string): Promise<number> {
    const row = await this.db.selectFrom('bulk_job_row').select((eb) => eb.fn.max('line').as('last')).where('job_id', '=', jobId).executeTakeFirst();
    return Number(row?.last ?? 0);
  }

  /** A batch of parsed rows (one statement), and the job's counters; false when the job is no longer open. */
  async appendRows(jobId: string, rows: ParsedRow[], bytes: number): Promise<boolean> {
    if (rows.length > 0) {
      await insertRecords<DB, 'bulk_job_row'>(
        this.db,
        'bulk_job_row',
        { job_id: 'uuid', line: 'integer', external_id: 'text', record: 'jsonb', parse_error: 'text' },
        rows.map((row) => ({
          job_id: jobId,
          line: row.line,
          external_id: row.externalId ?? null,
          record: row.error === undefined ? row.record : null,
          parse_error: row.error ?? null,
        })),
      ).execute();
    }
    const updated = await this.db
      .updateTable('bulk_job')
      .set((eb) => ({
        rows_total: eb('rows_total', '+', rows.length),
        bytes_uploaded: sql`bytes_uploaded + ${bytes}::bigint`,
        updated_at: sql`now()`,
      }))
      .where('id', '=', jobId)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** Moves the tenant's job from one of `from` to `to`; undefined when it is in none of them. */
  async transition(tenantId: string, id: string, from: BulkJobState[], to: BulkJobState): Promise<BulkJobRecord | undefined> {
    return this.db
      .updateTable('bulk_job')
      .set({
        state: to,
        version: sql`version + 1`,
        updated_at: sql`now()`,
        // rows_total counted from the rows themselves, whatever an interrupted upload left in the counter.
        ...(to === 'upload_complete' ? { closed_at: sql`now()`, rows_total: sql`(SELECT count(*) FROM bulk_job_row r WHERE r.job_id = bulk_job.id)::int` } : {}),
        ...(to === 'aborted' ? { completed_at: sql`now()` } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', 'in', from)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Takes the next job to work on: a closed one, or one in progress whose worker has given no sign
   * of life (a batch's results) for `staleSeconds` (a replica that stopped): it resumes where that one was.
   */
  async claimNext(staleSeconds: number): Promise<BulkJobRecord | undefined> {
    const result = await sql<BulkJobRecord>`
      UPDATE bulk_job SET state = 'in_progress', updated_at = now(), version = version + 1
      WHERE id = (
        SELECT id FROM bulk_job
        WHERE state = 'upload_complete' OR (state = 'in_progress' AND updated_at < now() - make_interval(secs => ${staleSeconds}))
        ORDER BY closed_at NULLS LAST, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`.execute(this.db);
    return result.rows[0];
  }

  /** Up to `limit` rows after `afterLine` that have no result yet, in line order. */
  async pendingRows(jobId: string, afterLine: number, limit: number): Promise<PendingRow[]> {
    return this.db
      .selectFrom('bulk_job_row as r')
      .select(['r.line', 'r.external_id', 'r.record', 'r.parse_error'])
      .where('r.job_id', '=', jobId)
      .where('r.line', '>', afterLine)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('bulk_job_result as x').select('x.line').whereRef('x.job_id', '=', 'r.job_id').whereRef('x.line', '=', 'r.line'))))
      .orderBy('r.line')
      .limit(limit)
      .execute();
  }

  /**
   * A batch's results (one statement; a result already stored, by a worker before a restart, is
   * kept) and the job's counters by what was stored: the heartbeat of the job. False when the job
   * is no longer in progress (aborted meanwhile).
   */
  async recordResults(jobId: string, results: (ExternalItemResult & { line: number })[]): Promise<boolean> {
    const stored = await insertRecords<DB, 'bulk_job_result'>(
      this.db,
      'bulk_job_result',
      { job_id: 'uuid', line: 'integer', external_id: 'text', outcome: 'text', record_id: 'text', error_code: 'text', error: 'text', fields: 'jsonb' },
      results.map((result) => ({
        job_id: jobId,
        line: result.line,
        external_id: result.externalId || null,
        outcome: result.outcome,
        record_id: result.id ?? null,
        error_code: result.error?.code ?? null,
        error: result.error?.message ?? null,
        fields: result.error?.fields ?? (result.conflicts ? { conflicts: result.conflicts } : null),
      })),
    )
      .onConflict((oc) => oc.columns(['job_id', 'line']).doNothing())
      .returning('outcome')
      .execute();
    const count = (outcome: string) => stored.filter((row) => row.outcome === outcome).length;
    const updated = await this.db
      .updateTable('bulk_job')
      .set((eb) => ({
        rows_processed: eb('rows_processed', '+', stored.length),
        rows_created: eb('rows_created', '+', count('created')),
        rows_updated: eb('rows_updated', '+', count('updated') + count('deleted')),
        rows_unchanged: eb('rows_unchanged', '+', count('unchanged')),
        rows_failed: eb('rows_failed', '+', count('failed')),
        updated_at: sql`now()`,
      }))
      .where('id', '=', jobId)
      .where('state', '=', 'in_progress')
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** Gives a job in progress back (a worker shutting down between batches): the next worker resumes it at once. */
  async release(jobId: string): Promise<void> {
    await this.db.updateTable('bulk_job').set({ state: 'upload_complete', updated_at: sql`now()` }).where('id', '=', jobId).where('state', '=', 'in_progress').execute();
  }

  /** Why a job in progress stalled (the owning service did not answer): shown on the job, cleared when it completes. */
  async noteError(jobId: string, error: string): Promise<void> {
    await this.db.updateTable('bulk_job').set({ error }).where('id', '=', jobId).execute();
  }

  /** The job's end (undefined when it left in_progress meanwhile: aborted). */
  async finish(jobId: string, state: 'job_complete' | 'failed', error?: string): Promise<BulkJobRecord | undefined> {
    return this.db
      .updateTable('bulk_job')
      .set({ state, error: error ?? null, completed_at: sql`now()`, updated_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', jobId)
      .where('state', '=', 'in_progress')
      .returningAll()
      .executeTakeFirst();
  }

  /** The uploaded rows of a finished job (its results hold what is kept). */
  async deleteRows(jobId: string): Promise<void> {
    await this.db.deleteFrom('bulk_job_row').where('job_id', '=', jobId).execute();
  }

  /** A page of results in line order after `afterLine`, only `outcome` when given. */
  async results(jobId: string, afterLine: number, limit: number, outcome?: string): Promise<StoredResult[]> {
    let query = this.db
      .selectFrom('bulk_job_result')
      .select(['line', 'external_id', 'outcome', 'record_id', 'error_code', 'error', 'fields'])
      .where('job_id', '=', jobId)
      .where('line', '>', afterLine);
    if (outcome) query = query.where('outcome', '=', outcome);
    return query.orderBy('line').limit(limit).execute();
  }
}
