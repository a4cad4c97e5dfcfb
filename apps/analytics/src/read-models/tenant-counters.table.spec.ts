import { randomUUID } from 'node:crypto';
import { TableTestDatabase } from '../testing/table-test-database';
import { addToCounters, countersRow } from './tenant-counters.table';

describe('tenant_counters table module', () => {
  let t: TableTestDatabase;
  beforeAll(async () => (t = await TableTestDatabase.create()));
  afterAll(() => t?.close());

  it('its row builder writes every column of tenant_counters', async () => {
    expect(Object.keys(countersRow('t', {})).sort()).toEqual(await t.columnsOf('tenant_counters'));
  });

  it('adds deltas to the tenant row, and has nothing to write for an empty one', async () => {
    const tenantId = randomUUID();
    await addToCounters(t.db, tenantId, { lead: 2, companies: 1 })?.execute();
    await addToCounters(t.db, tenantId, { lead: -1, churned: 3 })?.execute();
    expect(addToCounters(t.db, tenantId, { lead: 0 })).toBeUndefined();
    expect(await t.db.selectFrom('tenant_counters').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()).toEqual({
      tenant_id: tenantId,
      contacts_lead: 1,
      contacts_prospect: 0,
      contacts_customer: 0,
      contacts_churned: 3,
      companies: 1,
    });
  });
});
