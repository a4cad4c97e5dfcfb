import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

/** The Postgres channel a commit of new change log rows notifies, with the tenant as payload (long polls wake on it). */
export const CHANGE_LOG_CHANNEL = 'change_log_appended';

export interface NewChange {
  tenantId: string;
  eventId: string;
  type: string;
  resource: string;
  subject: string | null;
  contactId: string | null;
  occurredAt: string;
  data: unknown;
}

export interface ChangeRow {
  seq: string;
  tenantId: string;
  eventId: string;
  type: string;
  subject: string | null;
  occurredAt: Date;
  data: unknown;
}

/** The change log: appended in batches by the event intake, read by the feed and the webhook dispatcher. */
@Injectable()
export class ChangeLogRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends the changes (one statement; an event already logged is skipped) and notifies their
   * tenants at commit. Returns the rows appended, in seq order.
   */
  async append(changes: NewChange[]): Promise<ChangeRow[]> {
    if (changes.length === 0) return [];
    const rows = await this.db
      .insertInto('change_log')
      .values(
        changes.map((c) => ({
          tenant_id: c.tenantId,
          event_id: c.eventId,
          type: c.type,
          resource: c.resource,
          subject: c.subject,
          contact_id: c.contactId,
          occurred_at: c.occurredAt,
          data: JSON.stringify(c.data),
        })),
      )
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning(['seq', 'tenant_id', 'event_id', 'type', 'subject', 'occurred_at', 'data'])
      .execute();
    const tenants = [...new Set(rows.map((r) => r.tenant_id))].sort();
    if (tenants.length > 0) {
      await sql`SELECT pg_notify(${CHANGE_LOG_CHANNEL}, t)::text AS notified FROM unnest(${tenants}::text[]) AS t`.execute(this.db);
    }
    return rows.map(toChangeRow).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  }

  /**
   * Erasure: the data of every change about the contact is replaced by its ids only (the
   * erasure's own entry, which carries no personal data, stays). Webhook deliveries hold no
   * payload of their own (they are built from the change log when sent), so pending ones are
   * scrubbed by the same statement.
   */
  async scrubContact(tenantId: string, contactId: string, exceptEventId: string): Promise<number> {
    const result = await this.db
      .updateTable('change_log')
      .set({ data: JSON.stringify({ contactId, erased: true }) })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .where('event_id', '!=', exceptEventId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A page of the tenant's changes after `afterSeq`, of the given resources, optionally of the given types (patterns resolved by the caller). */
  async page(query: { tenantId: string; afterSeq: bigint; resources: string[]; types?: string[]; typePrefixes?: string[]; limit: number }): Promise<ChangeRow[]> {
    if (query.resources.length === 0) return [];
    let q = this.db
      .selectFrom('change_log')
      .select(['seq', 'tenant_id', 'event_id', 'type', 'subject', 'occurred_at', 'data'])
      .where('tenant_id', '=', query.tenantId)
      .where('seq', '>', query.afterSeq.toString())
      .where('resource', 'in', query.resources);
    const exact = query.types ?? [];
    const prefixes = query.typePrefixes ?? [];
    if (exact.length > 0 || prefixes.length > 0) {
      q = q.where((eb) =>
        eb.or([
          ...(exact.length > 0 ? [eb('type', 'in', exact)] : []),
          ...prefixes.map((prefix) => eb('type', 'like', `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)),
        ]),
      );
    }
    const rows = await q.orderBy('seq').limit(query.limit).execute();
    return rows.map(toChangeRow);
  }

  /** Changes by seq (the webhook dispatcher builds its payloads from them). */
  async bySeqs(seqs: string[]): Promise<ChangeRow[]> {
    if (seqs.length === 0) return [];
    const rows = await this.db
      .selectFrom('change_log')
      .select(['seq', 'tenant_id', 'event_id', 'type', 'subject', 'occurred_at', 'data'])
      .where('seq', 'in', seqs)
      .execute();
    return rows.map(toChangeRow);
  }
}

function toChangeRow(r: { seq: string; tenant_id: string; event_id: string; type: string; subject: string | null; occurred_at: Date; data: unknown }): ChangeRow {
  return { seq: String(r.seq), tenantId: r.tenant_id, eventId: r.event_id, type: r.type, subject: r.subject, occurredAt: new Date(r.occurred_at), data: r.data };
}
