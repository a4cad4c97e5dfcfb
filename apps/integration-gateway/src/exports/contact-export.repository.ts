import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { ContactExportRecord, ExportColumn, ExportFormat } from './contact-export';

/** contact_export and its file's chunks: every statement of the contacts exports. */
@Injectable()
export class ContactExportRepository {
  constructor(private readonly db: Database) {}

  async create(values: {
    id: string;
    tenantId: string;
    clientId: string;
    format: ExportFormat;
    columns: ExportColumn[];
    expiresAt: Date;
  }): Promise<ContactExportRecord> {
    return this.db
      .insertInto('contact_export')
      .values({
        id: values.id,
        tenant_id: values.tenantId,
        client_id: values.clientId,
        format: values.format,
        columns: values.columns,
        expires_at: values.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The tenant's export, unless expired (another tenant's: undefined, 404). */
  async find(tenantId: string, id: string): Promise<ContactExportRecord | undefined> {
    return this.db
      .selectFrom('contact_export')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
  }

  /** The next export to build: a queued one, or one in progress whose worker went silent for `staleSeconds`. */
  async claimNext(staleSeconds: number): Promise<ContactExportRecord | undefined> {
    const result = await sql<ContactExportRecord>`
      UPDATE contact_export SET state = 'in_progress', updated_at = now(), version = version + 1
      WHERE id = (
        SELECT id FROM contact_export
        WHERE state = 'queued' OR (state = 'in_progress' AND updated_at < now() - make_interval(secs => ${staleSeconds}))
        ORDER BY created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`.execute(this.db);
    return result.rows[0];
  }

  /**
   * A page of the file and where the next page starts, in one statement: the chunk and the
   * export's progress commit together, so a resumed export neither skips nor repeats a page.
   */
  async appendChunk(exportId: string, seq: number, data: string, rows: number, nextCursor: string | null): Promise<void> {
    await this.db
      .with('chunk', (db) => db.insertInto('contact_export_chunk').values({ export_id: exportId, seq, data }))
      .updateTable('contact_export')
      .set((eb) => ({
        chunks: seq,
        cursor: nextCursor,
        rows_exported: eb('rows_exported', '+', rows),
        bytes: sql`bytes + ${Buffer.byteLength(data)}::bigint`,
        updated_at: sql`now()`,
      }))
      .where('id', '=', exportId)
      .execute();
  }

  async finish(exportId: string, state: 'completed' | 'failed', error?: string): Promise<void> {
    await this.db
      .updateTable('contact_export')
      .set({ state, error: error ?? null, completed_at: sql`now()`, updated_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', exportId)
      .where('state', '=', 'in_progress')
      .execute();
  }

  async release(exportId: string): Promise<void> {
    await this.db
      .updateTable('contact_export')
      .set({ state: 'queued', updated_at: sql`now()` })
      .where('id', '=', exportId)
      .where('state', '=', 'in_progress')
      .execute();
  }

  /** Chunks of the file after `afterSeq`, in order. */
  async chunks(exportId: string, afterSeq: number, limit: number): Promise<{ seq: number; data: string }[]> {
    return this.db
      .selectFrom('contact_export_chunk')
      .select(['seq', 'data'])
      .where('export_id', '=', exportId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** Exports past their expiry, with their files (personal data is not kept longer than asked for). */
  async deleteExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('contact_export')
      .where('expires_at', '<=', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
