import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';

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
  detail?: unknown;
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
}
