import { Injectable } from '@nestjs/common';
import type { SyncLogEntry } from '@crm/contracts';
import { z } from 'zod';
import { syncLogFilterSchema } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';

export type SyncLogFilter = z.infer<typeof syncLogFilterSchema>;

/** One line of the sync log: an inbound item or an outbound delivery, what it touched, how it ended. */
export interface SyncLogEntryInput {
  tenantId: string;
  clientId?: string | null;
  direction: 'inbound' | 'outbound';
  /** contacts | companies | products | orders | deals | webhook ... */
  object: string;
  system?: string | null;
  externalId?: string | null;
  recordId?: string | null;
  /** upsert | delete | erp-order | webhook | ... */
  operation: string;
  /** created | updated | unchanged | deleted | conflict | failed | delivered | applied */
  status: string;
  /** Conflicts (CRM-owned fields and their incoming values) and other details. Never a whole record: no personal data beyond ids. */
  detail?: Record<string, unknown>;
  error?: string | null;
}

/**
 * The sync log's writes (every feature that moves data in or out records here); its reads for
 * tenant admins live with the sync-log query. Many entries are one statement.
 */
@Injectable()
export class SyncLogRepository {
  constructor(private readonly db: Database) {}

  async record(entries: SyncLogEntryInput[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('sync_log')
      .values(
        entries.map((entry) => ({
          tenant_id: entry.tenantId,
          client_id: entry.clientId ?? null,
          direction: entry.direction,
          object: entry.object,
          system: entry.system ?? null,
          external_id: entry.externalId ?? null,
          record_id: entry.recordId ?? null,
          operation: entry.operation,
          status: entry.status,
          detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
          error: entry.error ?? null,
        })),
      )
      .execute();
  }

  /** Newest first, after the entry `beforeId` (exclusive); one more than `limit` tells the caller a next page exists. */
  async list(tenantId: string, filter: SyncLogFilter, beforeId: bigint | undefined, limit: number): Promise<SyncLogEntry[]> {
    let query = this.db.selectFrom('sync_log').selectAll().where('tenant_id', '=', tenantId);
    if (filter.recordId) query = query.where('record_id', '=', filter.recordId);
    if (filter.externalId) query = query.where('external_id', '=', filter.externalId);
    if (filter.system) query = query.where('system', '=', filter.system);
    if (filter.object) query = query.where('object', '=', filter.object);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.direction) query = query.where('direction', '=', filter.direction);
    if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId.toString());
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => ({
      id: String(row.id),
      clientId: row.client_id,
      direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
      object: row.object,
      system: row.system,
      externalId: row.external_id,
      recordId: row.record_id,
      operation: row.operation,
      status: row.status,
      detail: (row.detail as Record<string, unknown> | null) ?? null,
      error: row.error,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  /** A merge: the duplicate's entries name the survivor. */
  async moveRecord(tenantId: string, fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('sync_log').set({ record_id: toId }).where('tenant_id', '=', tenantId).where('record_id', '=', fromId).execute();
  }

  /** An erased person: the entries about their records keep the facts (what, when, status) and lose the incoming values. */
  async scrubRecords(tenantId: string, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await this.db
      .updateTable('sync_log')
      .set({ detail: null, error: null, external_id: null })
      .where('tenant_id', '=', tenantId)
      .where('record_id', 'in', [...recordIds])
      .execute();
  }
}
