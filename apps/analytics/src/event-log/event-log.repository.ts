import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Prisma } from '../generated/prisma/client';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { LoggedEvent } from './logged-event';

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
   */
  async append(event: LoggedEvent, withoutPersonalData: LoggedEvent['data']): Promise<LoggedEvent | null> {
    const rows = await this.db.$queryRawUnsafe<{ scrubbed: boolean }[]>(
      `WITH erased AS (
          SELECT coalesce(bool_or(c.erased OR coalesce(survivor.erased, false)), false) AS erased
          FROM contact_view c
          LEFT JOIN contact_view survivor ON survivor.tenant_id = c.tenant_id AND survivor.contact_id = c.merged_into_id
          WHERE c.tenant_id = $2 AND c.contact_id = $6::uuid
        )
        INSERT INTO event_log (event_id, tenant_id, type, subject, entity_id, contact_id, entity_version, occurred_at, data, scrubbed)
        SELECT $1::uuid, $2, $3, $4, $5::uuid, $6::uuid, $7::int, $8::timestamptz,
          CASE WHEN erased.erased THEN $10::jsonb ELSE $9::jsonb END, erased.erased OR $11::boolean
        FROM erased
        ON CONFLICT (event_id) DO NOTHING
        RETURNING scrubbed`,
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
    return rows[0].scrubbed && !event.scrubbed ? { ...event, data: withoutPersonalData, scrubbed: true } : event;
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
