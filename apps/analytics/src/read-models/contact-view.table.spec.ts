import { randomUUID } from 'node:crypto';
import type { ContactState } from '../projection/contact-state';
import { TableTestDatabase } from '../testing/table-test-database';
import { contactState, contactViewRow, upsertContactViews } from './contact-view.table';

const state = (contactId: string, overrides: Partial<ContactState> = {}): ContactState => ({
  contactId,
  lifecycleStage: 'lead',
  companyId: randomUUID(),
  version: 1,
  deleted: false,
  deletedAt: null,
  changedAt: new Date('2026-01-02T03:04:05.678Z'),
  mergedIntoId: null,
  erased: false,
  erasedAt: null,
  ...overrides,
});

describe('contact_view table module', () => {
  let t: TableTestDatabase;
  beforeAll(async () => (t = await TableTestDatabase.create()));
  afterAll(() => t?.close());

  const read = (tenantId: string) => t.db.selectFrom('contact_view').select(contactState).where('tenant_id', '=', tenantId).orderBy('contact_id').execute();
  const counters = (tenantId: string) => t.db.selectFrom('tenant_counters').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();

  it('its row builder writes every column of contact_view', async () => {
    expect(Object.keys(contactViewRow('t', state(randomUUID()))).sort()).toEqual(await t.columnsOf('contact_view'));
  });

  it('reads back through its projection what its upsert wrote, one row or many, with the counters in the same statement', async () => {
    const tenantId = randomUUID();
    const one = state(randomUUID(), { lifecycleStage: 'customer' });
    await upsertContactViews(t.db, tenantId, [one], { customer: 1 }).execute();
    const many = [
      state(randomUUID(), { deleted: true, deletedAt: new Date('2026-02-01T00:00:00.000Z'), lifecycleStage: null, companyId: null }),
      state(randomUUID(), { version: 7, erased: true, erasedAt: new Date('2026-03-01T00:00:00.000Z'), mergedIntoId: one.contactId }),
    ];
    await upsertContactViews(t.db, tenantId, many, { lead: 2, customer: -1 }).execute();
    const byId = (rows: ContactState[]) => [...rows].sort((a, b) => a.contactId.localeCompare(b.contactId));
    expect(await read(tenantId)).toEqual(byId([one, ...many]));
    expect(await counters(tenantId)).toMatchObject({ contacts_lead: 2, contacts_customer: 0, contacts_prospect: 0, companies: 0 });
  });

  it('replaces the state of a row it writes again', async () => {
    const tenantId = randomUUID();
    const id = randomUUID();
    await upsertContactViews(t.db, tenantId, [state(id)], {}).execute();
    const next = state(id, { version: 2, lifecycleStage: 'churned', companyId: null, changedAt: new Date('2026-05-05T00:00:00.000Z') });
    await upsertContactViews(t.db, tenantId, [next], {}).execute();
    expect(await read(tenantId)).toEqual([next]);
    expect(await counters(tenantId)).toBeUndefined();
  });
});
