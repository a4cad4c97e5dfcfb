import { randomUUID } from 'node:crypto';
import { contactViewRow } from '../read-models/contact-view.table';
import { TableTestDatabase } from '../testing/table-test-database';
import { appendEvents, eventLogRow, EventToAppend, LOGGED_EVENT_COLUMNS } from './event-log.table';
import type { LoggedEvent } from './logged-event';

describe('event_log table module', () => {
  let t: TableTestDatabase;
  beforeAll(async () => (t = await TableTestDatabase.create()));
  afterAll(() => t?.close());

  const event = (tenantId: string, contactId: string | null, data: Record<string, unknown>): LoggedEvent => ({
    eventId: randomUUID(),
    tenantId,
    type: 'contacts.contact.updated.v1',
    subject: contactId,
    entityId: contactId ?? randomUUID(),
    contactId,
    entityVersion: 2,
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    data,
    scrubbed: false,
  });
  const toAppend = (e: LoggedEvent): EventToAppend => ({ event: e, withoutPersonalData: { scrubbed: 'yes' } });
  const read = (eventId: string) => t.db.selectFrom('event_log').select(LOGGED_EVENT_COLUMNS).where('event_id', '=', eventId).executeTakeFirstOrThrow();

  it('its row builder writes every column of event_log but the time it is received', async () => {
    const { scrubbed_data: _scrubbedData, ...row } = eventLogRow(toAppend(event('t', null, {})));
    expect([...Object.keys(row), 'received_at'].sort()).toEqual(await t.columnsOf('event_log'));
    expect(LOGGED_EVENT_COLUMNS).toHaveLength(Object.keys(row).length);
  });

  it('appends each event once and reads it back as it was logged', async () => {
    const tenantId = randomUUID();
    const [a, b] = [event(tenantId, randomUUID(), { name: 'Ada', n: [1, 2] }), event(tenantId, null, { company: true })];
    expect(await appendEvents(t.db, [toAppend(a), toAppend(b)]).execute()).toHaveLength(2);
    expect(await appendEvents(t.db, [toAppend(a)]).execute()).toEqual([]);
    expect(await read(a.eventId)).toEqual(a);
    expect(await read(b.eventId)).toEqual(b);
  });

  it('logs the scrubbed data of an event whose contact, or whose contact’s survivor, is erased', async () => {
    const tenantId = randomUUID();
    const [erased, merged, kept] = [randomUUID(), randomUUID(), randomUUID()];
    const row = (contactId: string, over: object) =>
      contactViewRow(tenantId, {
        contactId,
        lifecycleStage: null,
        companyId: null,
        version: 1,
        deleted: true,
        deletedAt: null,
        changedAt: null,
        mergedIntoId: null,
        erased: false,
        erasedAt: null,
        ...over,
      });
    await t.db
      .insertInto('contact_view')
      .values([row(erased, { erased: true }), row(merged, { mergedIntoId: erased }), row(kept, { deleted: false })])
      .execute();
    const events = [erased, merged, kept].map((id) => event(tenantId, id, { name: 'Ada' }));
    const appended = await appendEvents(t.db, events.map(toAppend)).execute();
    expect(new Map(appended.map((r) => [r.eventId, r.scrubbed]))).toEqual(new Map(events.map((e, i) => [e.eventId, i < 2])));
    expect(await read(events[0].eventId)).toMatchObject({ data: { scrubbed: 'yes' }, scrubbed: true });
    expect(await read(events[2].eventId)).toMatchObject({ data: { name: 'Ada' }, scrubbed: false });
  });
});
