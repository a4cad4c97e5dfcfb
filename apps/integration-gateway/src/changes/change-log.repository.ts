import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

/** The Postgres channel a new entry is announced on (payload: its tenant), for long polls. */
export const CHANGE_CHANNEL = 'crm_change_log';

export interface ChangeEntryInput {
  tenantId: string;
  eventId: string;
  type: string;
  /** The scope a client needs to see it (feed-events.ts). */
  resource: string;
  subject: string | null;
  contactId: string | null;
  occurredAt: string;
  data: unknown;
}

export interface ChangeEntry {
  seq: string;
  eventId: string;
  type: string;
  resource: string;
  subject: string | null;
  occurredAt: Date;
  data: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The change log (every CRM event an ERP may read, in the order this gateway received them) and
 * the webhook deliveries it fans out to. Appending is one statement: the entry (once per event
 * id), a pending delivery for each active subscription of its tenant that wants its type, and the
 * announcement for long polls, all in the consumer's transaction.
 */
@Injectable()
export class ChangeLogRepository {
  constructor(private readonly db: Database) {}

  async append(entry: ChangeEntryInput): Promise<void> {
    const contactId = entry.contactId && UUID.test(entry.contactId) ? entry.contactId : null;
    await sql`
      WITH entry AS (
        INSERT INTO change_log (tenant_id, event_id, type, resource, subject, contact_id, occurred_at, data)
        VALUES (${entry.tenantId}, ${entry.eventId}::uuid, ${entry.type}, ${entry.resource}, ${entry.subject}, ${contactId}::uuid, ${entry.occurredAt}::timestamptz, ${JSON.stringify(entry.data ?? null)}::jsonb)
        ON CONFLICT (event_id) DO NOTHING
        RETURNING seq, tenant_id, event_id, type
      ), deliveries AS (
        INSERT INTO webhook_delivery (id, tenant_id, subscription_id, change_seq, event_id, event_type, status, next_attempt_at)
        SELECT gen_random_uuid(), e.tenant_id, s.id, e.seq, e.event_id, e.type, 'pending', now()
        FROM entry e JOIN webhook_subscription s
          ON s.tenant_id = e.tenant_id AND s.status = 'active' AND s.deleted_at IS NULL AND e.type = ANY(s.event_types)
        ON CONFLICT (subscription_id, event_id) DO NOTHING
      )
      SELECT pg_notify(${CHANGE_CHANNEL}, tenant_id)::text AS notified FROM entry`.execute(this.db);
  }

  /** Entries of the tenant after `afterSeq`, oldest first, of `types` only. */
  async page(tenantId: string, afterSeq: bigint, types: readonly string[], limit: number): Promise<ChangeEntry[]> {
    if (types.length === 0) return [];
    const rows = await this.db
      .selectFrom('change_log')
      .select(['seq', 'event_id', 'type', 'resource', 'subject', 'occurred_at', 'data'])
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', afterSeq.toString())
      .where('type', '=', sql<string>`ANY(${[...types]}::text[])`)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      seq: String(row.seq),
      eventId: row.event_id,
      type: row.type,
      resource: row.resource,
      subject: row.subject,
      occurredAt: new Date(row.occurred_at),
      data: row.data,
    }));
  }

  /** The entries about a contact, to scrub. */
  async ofContact(tenantId: string, contactId: string): Promise<{ seq: string; type: string; data: unknown }[]> {
    const rows = await this.db.selectFrom('change_log').select(['seq', 'type', 'data']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
    return rows.map((row) => ({ seq: String(row.seq), type: row.type, data: row.data }));
  }

  async replaceData(seq: string, data: unknown): Promise<void> {
    await this.db.updateTable('change_log').set({ data: JSON.stringify(data) }).where('seq', '=', seq).execute();
  }
}
