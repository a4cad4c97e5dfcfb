import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { arrayOf } from '@crm/service-kit';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { ContactState } from '../projection/contact-state';
import { contactState } from '../read-models/contact-view.table';
import { appendEvents, EventToAppend, LOGGED_EVENT_COLUMNS } from './event-log.table';
import type { LoggedEvent } from './logged-event';

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

const key = (id: string) => id.toLowerCase();

/** The only reader and writer of event_log. Rows are never deleted; erasure rewrites their data. */
@Injectable()
export class EventLogRepository {
  constructor(
    private readonly db: Database,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
  ) {}

  private get prisma() {
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
    const row = await this.db
      .with('logged', (db) => appendEvents(db, [{ event, withoutPersonalData }]))
      .with('contact', (db) =>
        db
          .selectFrom('contact_view')
          .select(contactState)
          .where('contact_view.tenant_id', '=', event.tenantId)
          // No contact: no row (the cast gives the parameter its type when it is null).
          .where('contact_view.contact_id', '=', (eb) => eb.cast<string>(eb.val(event.contactId), 'uuid')),
      )
      .selectFrom('logged')
      .leftJoin('contact', (join) => join.onTrue())
      .select(['logged.scrubbed', 'contact.contactId', 'contact.lifecycleStage', 'contact.companyId', 'contact.version', 'contact.deleted'])
      .select(['contact.deletedAt', 'contact.changedAt', 'contact.mergedIntoId', 'contact.erased', 'contact.erasedAt'])
      .executeTakeFirst();
    if (!row) return null;
    const { scrubbed, ...contact } = row;
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
  async appendMany(events: EventToAppend[]): Promise<Map<string, LoggedEvent>> {
    if (events.length === 0) return new Map();
    const rows = await appendEvents(this.db, events).execute();
    const byId = new Map(events.map((e) => [key(e.event.eventId), e]));
    const logged = new Map<string, LoggedEvent>();
    for (const row of rows) {
      const appended = byId.get(key(row.eventId));
      if (!appended) continue;
      const { event, withoutPersonalData } = appended;
      logged.set(event.eventId, row.scrubbed && !event.scrubbed ? { ...event, data: withoutPersonalData, scrubbed: true } : event);
    }
    return logged;
  }

  /** The rows of these contacts that still hold personal data. */
  unscrubbedOf(tenantId: string, contactIds: string[]): Promise<{ eventId: string; type: string; data: unknown }[]> {
    return this.db
      .selectFrom('event_log')
      .select(['event_id as eventId', 'type', 'data'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', (eb) => eb.fn.any(arrayOf(contactIds, 'uuid')))
      .where('scrubbed', '=', false)
      .execute();
  }

  /** Files the entity's earlier rows that had no contact under `contactId` (a lead's, once it became that contact): erasing the contact then scrubs them too. */
  async fileUnderContact(tenantId: string, entityId: string, contactId: string): Promise<void> {
    await this.db
      .updateTable('event_log')
      .set({ contact_id: contactId })
      .where('tenant_id', '=', tenantId)
      .where('entity_id', '=', entityId)
      .where('contact_id', 'is', null)
      .execute();
  }

  async replaceData(eventId: string, data: unknown): Promise<void> {
    await this.db
      .updateTable('event_log')
      .set({ data: JSON.stringify(data), scrubbed: true })
      .where('event_id', '=', eventId)
      .execute();
  }

  async lastOccurredAt(tenantId: string): Promise<Date | null> {
    const found = await this.prisma.eventLog.findFirst({
      where: { tenantId },
      orderBy: { occurredAt: 'desc' },
      select: { occurredAt: true },
    });
    return found?.occurredAt ?? null;
  }

  async tenants(): Promise<string[]> {
    const rows = await this.prisma.eventLog.findMany({ distinct: ['tenantId'], select: { tenantId: true }, orderBy: { tenantId: 'asc' } });
    return rows.map((r) => r.tenantId);
  }

  /** The next `limit` rows of the tenant in replay order: occurred_at, then entity version (then id, for a total order). */
  async replayPage(tenantId: string, after: ReplayCursor | null, limit: number): Promise<LoggedEvent[]> {
    const start = after ?? { occurredAt: new Date(0), entityVersion: -1, eventId: '00000000-0000-0000-0000-000000000000' };
    const rows = await this.db
      .selectFrom('event_log')
      .select(LOGGED_EVENT_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb(eb.refTuple('occurred_at', 'entity_version', 'event_id'), '>', eb.tuple(start.occurredAt, start.entityVersion, start.eventId)))
      .orderBy('occurred_at')
      .orderBy('entity_version')
      .orderBy('event_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, data: row.data as LoggedEvent['data'] }));
  }
}
