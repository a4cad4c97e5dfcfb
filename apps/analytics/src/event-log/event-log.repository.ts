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

  /** False when the event is already in the log (a redelivery the inbox no longer remembers). */
  async append(event: LoggedEvent): Promise<boolean> {
    const { count } = await this.db.eventLog.createMany({
      data: [{ ...event, data: event.data as Prisma.InputJsonObject }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** The rows of these contacts that still hold personal data. */
  unscrubbedOf(tenantId: string, contactIds: string[]): Promise<{ eventId: string; type: string; data: Prisma.JsonValue }[]> {
    return this.db.eventLog.findMany({
      where: { tenantId, contactId: { in: contactIds }, scrubbed: false },
      select: { eventId: true, type: true, data: true },
    });
  }

  async replaceData(eventId: string, data: Record<string, unknown>): Promise<void> {
    await this.db.eventLog.update({ where: { eventId }, data: { data: data as Prisma.InputJsonObject, scrubbed: true } });
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
