import { sql, type Insertable, type QueryCreator } from 'kysely';
import { unnestRows } from '@crm/service-kit';
import type { DB, EventLog } from '../generated/kysely/database';
import type { LoggedEvent } from './logged-event';

/**
 * event_log (every consumed event, append-only; erasure rewrites a row's data) as the code reads
 * and writes it: its projection into a LoggedEvent, its row builder and its append. Read and
 * written by EventLogRepository only.
 */

/** An event to append, with what it is once scrubbed (logged instead when its contact is erased). */
export interface EventToAppend {
  event: LoggedEvent;
  withoutPersonalData: LoggedEvent['data'];
}

/** event_log's columns as a LoggedEvent. */
export const LOGGED_EVENT_COLUMNS = [
  'event_id as eventId',
  'tenant_id as tenantId',
  'type',
  'subject',
  'entity_id as entityId',
  'contact_id as contactId',
  'entity_version as entityVersion',
  'occurred_at as occurredAt',
  'data',
  'scrubbed',
] as const;

/** The row of a logged event (received_at is the database's). */
export function eventLogRow({ event, withoutPersonalData }: EventToAppend) {
  return {
    event_id: event.eventId,
    tenant_id: event.tenantId,
    type: event.type,
    subject: event.subject,
    entity_id: event.entityId,
    contact_id: event.contactId,
    entity_version: event.entityVersion,
    occurred_at: event.occurredAt,
    data: event.data,
    scrubbed: event.scrubbed,
    // Only events about a contact can meet an erased one.
    scrubbed_data: event.contactId ? withoutPersonalData : null,
  } satisfies Required<Omit<Insertable<EventLog>, 'received_at'>> & { scrubbed_data: unknown };
}

/**
 * Appends the events not yet in the log (one statement for any number), each as it is or, when
 * its contact or the survivor that contact was merged into is erased, without its personal data:
 * the erasure check reads contact_view as it is now (the caller keeps merges and erasures out of
 * a run of several). Returns the ids appended now, and whether each was logged scrubbed.
 */
export function appendEvents(db: QueryCreator<DB>, events: readonly EventToAppend[]) {
  const rows = events.map(eventLogRow);
  return db
    .insertInto('event_log')
    .columns(['event_id', 'tenant_id', 'type', 'subject', 'entity_id', 'contact_id', 'entity_version', 'occurred_at', 'data', 'scrubbed'])
    .expression((eb) =>
      eb
        .selectFrom(
          eb
            .selectFrom(
              unnestRows(
                rows,
                {
                  event_id: 'uuid',
                  tenant_id: 'text',
                  type: 'text',
                  subject: 'text',
                  entity_id: 'uuid',
                  contact_id: 'uuid',
                  entity_version: 'integer',
                  occurred_at: 'timestamptz',
                  data: 'jsonb',
                  scrubbed: 'boolean',
                  scrubbed_data: 'jsonb',
                },
                'e',
              ),
            )
            .selectAll('e')
            .select((eb) =>
              eb.fn
                .coalesce(
                  eb
                    .selectFrom('contact_view as c')
                    .leftJoin('contact_view as survivor', (join) =>
                      join.onRef('survivor.tenant_id', '=', 'c.tenant_id').onRef('survivor.contact_id', '=', 'c.merged_into_id'),
                    )
                    .select((eb) =>
                      eb.fn.agg<boolean>('bool_or', [eb.or([eb.ref('c.erased'), eb.fn.coalesce('survivor.erased', sql.lit(false))])]).as('erased'),
                    )
                    .whereRef('c.tenant_id', '=', 'e.tenant_id')
                    .whereRef('c.contact_id', '=', 'e.contact_id'),
                  sql.lit(false),
                )
                .as('erased'),
            )
            .as('m'),
        )
        .select((eb) => [
          'm.event_id',
          'm.tenant_id',
          'm.type',
          'm.subject',
          'm.entity_id',
          'm.contact_id',
          'm.entity_version',
          'm.occurred_at',
          eb.case().when('m.erased', '=', true).then(eb.ref('m.scrubbed_data')).else(eb.ref('m.data')).end().as('data'),
          eb.or([eb.ref('m.erased'), eb.ref('m.scrubbed')]).as('scrubbed'),
        ]),
    )
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning(['event_id as eventId', 'scrubbed']);
}
