import { randomUUID } from 'node:crypto';
import { TableTestDatabase } from '../testing/table-test-database';
import { contactViewRow } from './contact-view.table';
import { InteractionFact, interactionFactRow, recordInteractionFacts } from './interaction-fact.table';
import { INTERACTION_DAILY_COLUMNS } from './interaction-daily.table';

describe('interaction_fact and interaction_daily table modules', () => {
  let t: TableTestDatabase;
  beforeAll(async () => (t = await TableTestDatabase.create()));
  afterAll(() => t?.close());

  const fact = (contactId: string, channel: string, occurredAt: string): InteractionFact => ({
    interactionId: randomUUID(),
    contactId,
    channel,
    occurredAt: new Date(occurredAt),
  });
  const daily = (tenantId: string) =>
    t.db
      .selectFrom('interaction_daily')
      .select(['channel', 'count'])
      .select((eb) => eb.cast<string>('day', 'text').as('day'))
      .where('tenant_id', '=', tenantId)
      .orderBy('day')
      .orderBy('channel')
      .execute();

  it('their builders write every column of interaction_fact and interaction_daily', async () => {
    expect(Object.keys(interactionFactRow('t', fact(randomUUID(), 'call', '2026-01-01T00:00:00Z'))).sort()).toEqual(await t.columnsOf('interaction_fact'));
    expect([...INTERACTION_DAILY_COLUMNS].sort()).toEqual(await t.columnsOf('interaction_daily'));
  });

  it('records each interaction once and counts it on its UTC day, one or many per statement', async () => {
    const [tenantId, contact] = [randomUUID(), randomUUID()];
    const first = fact(contact, 'call', '2026-01-01T23:30:00+01:00');
    const run = [fact(contact, 'call', '2026-01-01T12:00:00Z'), fact(contact, 'email', '2026-01-02T00:00:01Z')];
    expect(await recordInteractionFacts(t.db, tenantId, [first], true).executeTakeFirst()).toEqual({ recorded: 1 });
    expect(await recordInteractionFacts(t.db, tenantId, [...run, first], false).executeTakeFirst()).toEqual({ recorded: 2 });
    expect(await daily(tenantId)).toEqual([
      { day: '2026-01-01', channel: 'call', count: 2 },
      { day: '2026-01-02', channel: 'email', count: 1 },
    ]);
  });

  it('records under the contact it was merged into when asked to follow merges', async () => {
    const [tenantId, merged, survivor] = [randomUUID(), randomUUID(), randomUUID()];
    const row = {
      contactId: merged,
      lifecycleStage: null,
      companyId: null,
      version: 1,
      deleted: true,
      deletedAt: new Date(),
      changedAt: null,
      mergedIntoId: survivor,
      erased: false,
      erasedAt: null,
    };
    await t.db.insertInto('contact_view').values(contactViewRow(tenantId, row)).execute();
    await recordInteractionFacts(t.db, tenantId, [fact(merged, 'chat', '2026-01-01T00:00:00Z')], true).execute();
    await recordInteractionFacts(t.db, tenantId, [fact(merged, 'note', '2026-01-01T00:00:00Z')], false).execute();
    const facts = await t.db.selectFrom('interaction_fact').select(['channel', 'contact_id']).where('tenant_id', '=', tenantId).orderBy('channel').execute();
    expect(facts).toEqual([
      { channel: 'chat', contact_id: survivor },
      { channel: 'note', contact_id: merged },
    ]);
  });
});
