import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { DomainError, type ExternalItemResult } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import type { BulkJob as BulkJobTable } from '../generated/kysely/database';
import type { BulkContentType, BulkJobState, BulkObject, BulkOperation } from './bulk-job';
import type { UploadRowBatch } from './upload-row-batch';

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
      query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'asc').limit(limit).execute();
  }

  /** The last line stored so far: a further upload to the job continues after it. */
  async lastLine(jobId: string): Promise<number> {
    const row = await this.db
      .selectFrom('bulk_job_row')
      .select((eb) => eb.fn.max('line').as('last'))
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return Number(row?.last ?? 0);
  }

  /** A batch of parsed rows (one statement, the rows as one bytea of JSON), and the job's counters; false when the job is no longer open. */
  async appendRows(jobId: string, batch: UploadRowBatch, bytes: number): Promise<boolean> {
    if (batch.rows > 0) {
      await this.insertRows(jobId, batch);
    }
    const updated = await this.db
      .updateTable('bulk_job')
      .set((eb) => ({
        rows_total: eb('rows_total', '+', batch.rows),
        bytes_uploaded: sql`bytes_uploaded + ${bytes}::bigint`,
        updated_at: sql`now()`,
      }))
      .where('id', '=', jobId)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** Takes back an upload refused midway: its rows (lines after `afterLine`) and the bytes counted for them. */
  async dropUpload(jobId: string, afterLine: number, bytes: number): Promise<void> {
    await this.db.deleteFrom('bulk_job_row').where('job_id', '=', jobId).where('line', '>', afterLine).execute();
    await this.db
      .updateTable('bulk_job')
      .set({
        rows_total: sql`(SELECT count(*) FROM bulk_job_row r WHERE r.job_id = bulk_job.id)::int`,
        bytes_uploaded: sql`greatest(bytes_uploaded - ${bytes}::bigint, 0)`,
        updated_at: sql`now()`,
      })
      .where('id', '=', jobId)
      .execute();
  }

  private async insertRows(jobId: string, batch: UploadRowBatch): Promise<void> {
    try {
      await this.db
        .insertInto('bulk_job_row')
        .columns(['job_id', 'line', 'external_id', 'record', 'parse_error'])
        .expression(
          sql`SELECT ${jobId}::uuid, r.line, r.external_id, r.record, r.parse_error
            FROM jsonb_to_recordset(convert_from(${batch.json()}::bytea, 'UTF8')::jsonb) AS r(line integer, external_id text, record jsonb, parse_error text)`,
        )
        .execute();
    } catch (error) {
      // Two uploads to one job at once: both number their lines after the same last line.
      if ((error as { code?: string }).code === '23505')
        throw new DomainError('CONFLICT', 'another upload to this job is in progress: upload one file at a time');
      throw error;
    }
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
        ...(to === 'upload_complete'
          ? { closed_at: sql`now()`, rows_total: sql`(SELECT count(*) FROM bulk_job_row r WHERE r.job_id = bulk_job.id)::int` }
          : {}),
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

  /**
   * The next `limit` rows after `afterLine` in line order (a keyset read on the primary key), and
   * which of their lines already have a result (a job resumed after a restart): two index range
   * reads, where an anti-join grew with the results a job already had (seconds per batch at 100k).
   */
  async rowsAfter(jobId: string, afterLine: number, limit: number): Promise<{ rows: PendingRow[]; done: Set<number> }> {
    const rows = await this.db
      .selectFrom('bulk_job_row')
      .select(['line', 'external_id', 'record', 'parse_error'])
      .where('job_id', '=', jobId)
      .where('line', '>', afterLine)
      .orderBy('line')
      .limit(limit)
      .execute();
    if (rows.length === 0) return { rows, done: new Set() };
    const results = await this.db
      .selectFrom('bulk_job_result')
      .select('line')
      .where('job_id', '=', jobId)
      .where('line', '>=', rows[0].line)
      .where('line', '<=', rows[rows.length - 1].line)
      .execute();
    return { rows, done: new Set(results.map((result) => result.line)) };
  }

  /**
   * A batch's results, the sync log's entry of each and the job's counters, in one statement: a
   * result already stored (by a worker before a restart) is kept, and neither logged nor counted
   * again. The counters' update is the job's heartbeat. False when the job is no longer in
   * progress (aborted meanwhile).
   */
  async recordResults(
    job: Pick<BulkJobRecord, 'id' | 'tenant_id' | 'client_id' | 'object' | 'system' | 'operation'>,
    results: (ExternalItemResult & { line: number })[],
  ): Promise<boolean> {
    const records = results.map((result) => ({
      line: result.line,
      external_id: result.externalId || null,
      outcome: result.outcome,
      record_id: result.id ?? null,
      error_code: result.error?.code ?? null,
      error: result.error?.message ?? null,
      fields: result.error?.fields ?? (result.conflicts?.length ? { conflicts: result.conflicts } : null),
      conflicts: result.conflicts?.length ? result.conflicts : null,
    }));
    const { rows } = await sql<{ updated: number }>`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
          AS r(line int, external_id text, outcome text, record_id text, error_code text, error text, fields jsonb, conflicts jsonb)
      ),
      stored AS (
        INSERT INTO bulk_job_result (job_id, line, external_id, outcome, record_id, error_code, error, fields)
        SELECT ${job.id}::uuid, line, external_id, outcome, record_id, error_code, error, fields FROM input
        ON CONFLICT (job_id, line) DO NOTHING
        RETURNING line, outcome
      ),
      logged AS (
        INSERT INTO sync_log (tenant_id, client_id, direction, object, system, external_id, record_id, operation, status, detail, error)
        SELECT ${job.tenant_id}, ${job.client_id}, 'inbound', ${job.object}, ${job.system}, i.external_id, i.record_id, ${job.operation},
          CASE WHEN i.conflicts IS NOT NULL THEN 'conflict' ELSE i.outcome END,
          jsonb_strip_nulls(jsonb_build_object('bulkJobId', ${job.id}::text, 'line', i.line, 'conflicts', i.conflicts)),
          CASE WHEN i.error_code IS NOT NULL THEN i.error_code || ': ' || i.error END
        FROM input i JOIN stored s ON s.line = i.line
      ),
      counts AS (
        SELECT count(*)::int AS processed,
          count(*) FILTER (WHERE outcome = 'created')::int AS created,
          count(*) FILTER (WHERE outcome IN ('updated', 'deleted'))::int AS updated,
          count(*) FILTER (WHERE outcome = 'unchanged')::int AS unchanged,
          count(*) FILTER (WHERE outcome = 'failed')::int AS failed
        FROM stored
      )
      UPDATE bulk_job SET
        rows_processed = rows_processed + counts.processed,
        rows_created = rows_created + counts.created,
        rows_updated = rows_updated + counts.updated,
        rows_unchanged = rows_unchanged + counts.unchanged,
        rows_failed = rows_failed + counts.failed,
        updated_at = now()
      FROM counts
      WHERE bulk_job.id = ${job.id}::uuid AND bulk_job.state = 'in_progress'
      RETURNING 1 AS updated`.execute(this.db);
    return rows.length === 1;
  }

  /** Gives a job in progress back (a worker shutting down between batches): the next worker resumes it at once. */
  async release(jobId: string): Promise<void> {
    await this.db
      .updateTable('bulk_job')
      .set({ state: 'upload_complete', updated_at: sql`now()` })
      .where('id', '=', jobId)
      .where('state', '=', 'in_progress')
      .execute();
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
