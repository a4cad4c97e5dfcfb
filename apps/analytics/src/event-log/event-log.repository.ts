import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Prisma } from '../generated/prisma/client';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { LoggedEvent } from './logged-event';
import type { ContactState } from '../projection/contact-state';
import { STATE_COLUMNS } from '../read-models/contact-view.repository';

/** A newly logged event, with its contact's read-model row as it was before (read by the same statement). */
export interface AppendedEvent {
  event: LoggedEvent;
  /** null: no row for the event's contact yet, or the event is about no contact. */
  contactBefore: ContactState | null;
}

/** Where a replay stands: the last row read, in replay order. */
export interface ReplayCursor {
  occurredAt: Date;
  entityVersion: number;
  eventId: string;
}

interface EventLogRow {
  event_id: string;
  tenant_id: string;
  type: string;
  subject: string | null;
  entity_id: string;
  contact_id: string | null;
  entity_version: number;
  occurred_at: Date;
  data: Record<string, unknown>;
  scrubbed: boolean;
}

/** The only reader and writer of event_log. Rows are never deleted; erasure rewrites their data. */
@Injectable()
export class EventLogRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Appends the event unless it is already in the log (a redelivery the inbox no longer
   * remembers): null then. When its contact, or the survivor that contact was merged into, is
   * erased, the row gets `withoutPersonalData` instead (what the event is once scrubbed). The
   * erasure check and the insert are one statement: the per-event cost is mostly per statement.
   * The same statement reads the contact's read-model row, which the projection needs next.
   */
  async append(event: LoggedEvent, withoutPersonalData: LoggedEvent['data']): Promise<AppendedEvent | null> {
    const rows = await this.db.$queryRawUnsafe<({ scrubbed: boolean } & Partial<ContactState>)[]>(
      `WITH contact AS (
          SELECT ${STATE_COLUMNS} FROM contact_view WHERE tenant_id = $2 AND contact_id = $6::uuid
        ), erased AS (
          SELECT coalesce(bool_or(c.erased OR coalesce(survivor.erased, false)), false) AS erased
          FROM contact_view c
          LEFT JOIN contact_view survivor ON survivor.tenant_id = c.tenant_id AND survivor.contact_id = c.merged_into_id
          WHERE c.tenant_id = $2 AND c.contact_id = $6::uuid
        ), logged AS (
        INSERT INTO event_log (event_id, tenant_id, type, subject, entity_id, contact_id, entity_version, occurred_at, data, scrubbed)
        SELECT $1::uuid, $2, $3, $4, $5::uuid, $6::uuid, $7::int, $8::timestamptz,
          CASE WHEN erased.erased THEN $10::jsonb ELSE $9::jsonb END, erased.erased OR $11::boolean
        FROM erased
        ON CONFLICT (event_id) DO NOTHING
        RETURNING scrubbed
      )
      SELECT logged.scrubbed, contact.* FROM logged LEFT JOIN contact ON true`,
      event.eventId,
      event.tenantId,
      event.type,
      event.subject,
      event.entityId,
      event.contactId,
      event.entityVersion,
      event.occurredAt,
      JSON.stringify(event.data),
      // Only events about a contact can meet an erased one.
      event.contactId ? JSON.stringify(withoutPersonalData) : null,
      event.scrubbed,
    );
    if (rows.length === 0) return null;
    const { scrubbed, ...contact } = rows[0];
    return {
      event: scrubbed && !event.scrubbed ? { ...event, data: withoutPersonalData, scrubbed: true } : event,
      contactBefore: contact.contactId ? (contact as ContactState) : null,
    };
  }

  /**
   * Appends several events with one statement, as `append` does each (same erasure check, run
   * against the read models as they are now: the caller keeps merges and erasures out of such a
   * run). Returns the events logged now, by id, scrubbed where their contact is erased.
   */
  async appendMany(events: { event: LoggedEvent; withoutPersonalData: LoggedEvent['data'] }[]): Promise<Map<string, LoggedEvent>> {
    if (events.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<{ eventId: string; scrubbed: boolean }[]>(
      `WITH e AS (
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
            AS e(event_id, tenant_id, type, subject, entity_id, contact_id, entity_version, occurred_at, data, scrubbed_data, scrubbed)
        ), marked AS (
          SELECT e.*, coalesce((
              SELECT bool_or(c.erased OR coalesce(survivor.erased, false))
              FROM contact_view c
              LEFT JOIN contact_view survivor ON survivor.tenant_id = c.tenant_id AND survivor.contact_id = c.merged_into_id
              WHERE c.tenant_id = e.tenant_id AND c.contact_id = e.contact_id::uuid
            ), false) AS erased
          FROM e
        )
        INSERT INTO event_log (event_id, tenant_id, type, subject, entity_id, contact_id, entity_version, occurred_at, data, scrubbed)
        SELECT event_id::uuid, tenant_id, type, subject, entity_id::uuid, contact_id::uuid, entity_version::int, occurred_at::timestamptz,
          CASE WHEN erased THEN scrubbed_data::jsonb ELSE data::jsonb END, erased OR scrubbed::boolean
        FROM marked
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id::text AS "eventId", scrubbed`,
      events.map((e) => e.event.eventId),
      events.map((e) => e.event.tenantId),
      events.map((e) => e.event.type),
      events.map((e) => e.event.subject),
      events.map((e) => e.event.entityId),
      events.map((e) => e.event.contactId),
      events.map((e) => String(e.event.entityVersion)),
      events.map((e) => e.event.occurredAt.toISOString()),
      events.map((e) => JSON.stringify(e.event.data)),
      events.map((e) => (e.event.contactId ? JSON.stringify(e.withoutPersonalData) : null)),
      events.map((e) => String(e.event.scrubbed)),
    );
    const byId = new Map(events.map((e) => [e.event.eventId.toLowerCase(), e]));
    const logged = new Map<string, LoggedEvent>();
    for (const row of rows) {
      const appended = byId.get(row.eventId);
      if (!appended) continue;
      const { event, withoutPersonalData } = appended;
      logged.set(event.eventId, row.scrubbed && !event.scrubbed ? { ...event, data: withoutPersonalData, scrubbed: true } : event);
    }
    return logged;
  }

  /** The rows of these contacts that still hold personal data. */
  unscrubbedOf(tenantId: string, contactIds: string[]): Promise<{ eventId: string; type: string; data: Prisma.JsonValue }[]> {
    return this.db.$queryRawUnsafe(
      `SELECT event_id::text AS "eventId", type, data FROM event_log WHERE tenant_id = $1 AND contact_id = ANY($2::uuid[]) AND NOT scrubbed`,
      tenantId,
      contactIds,
    );
  }

  async replaceData(eventId: string, data: Record<string, unknown>): Promise<void> {
    await this.db.$executeRawUnsafe(`UPDATE event_log SET data = $2::jsonb, scrubbed = true WHERE event_id = $1::uuid`, eventId, JSON.stringify(data));
  }

  async lastOccurredAt(tenantId: string): Promise<Date | null> {
    const found = await this.db.eventLog.findFirst({
      where: { tenantId },
      orderBy: { occurredAt: 'desc' },
      select: { occurredAt: true },
    });
    return found?.occurredAt ?? null;
  }

  async tenants(): Promise<string[]> {
    const rows = await this.db.eventLog.findMany({ distinct: ['tenantId'], select: { tenantId: true }, orderBy: { tenantId: 'asc' } });
    return rows.map((r) => r.tenantId);
  }

  /** The next `limit` rows of the tenant in replay order: occurred_at, then entity version (then id, for a total order). */
  async replayPage(tenantId: string, after: ReplayCursor | null, limit: number): Promise<LoggedEvent[]> {
    const start = after ?? { occurredAt: new Date(0), entityVersion: -1, eventId: '00000000-0000-0000-0000-000000000000' };
    const rows = await this.db.$queryRaw<EventLogRow[]>`
      SELECT event_id::text, tenant_id, type, subject, entity_id::text, contact_id::text, entity_version, occurred_at, data, scrubbed
      FROM event_log
      WHERE tenant_id = ${tenantId}
        AND (occurred_at, entity_version, event_id) > (${start.occurredAt}, ${start.entityVersion}, ${start.eventId}::uuid)
      ORDER BY occurred_at, entity_version, event_id
      LIMIT ${limit}`;
    return rows.map((r) => ({
      eventId: r.event_id,
      tenantId: r.tenant_id,
      type: r.type,
      subject: r.subject,
      entityId: r.entity_id,
      contactId: r.contact_id,
      entityVersion: r.entity_version,
      occurredAt: r.occurred_at,
      data: r.data,
      scrubbed: r.scrubbed,
    }));
  }
}
