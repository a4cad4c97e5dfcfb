import { randomUUID } from 'node:crypto';
import { TableTestDatabase } from '../testing/table-test-database';
import { applyCompanyVersion, companyViewRow } from './company-view.table';

describe('company_view table module', () => {
  let t: TableTestDatabase;
  beforeAll(async () => (t = await TableTestDatabase.create()));
  afterAll(() => t?.close());

  const companies = async (tenantId: string) =>
    (await t.db.selectFrom('tenant_counters').select('companies').where('tenant_id', '=', tenantId).executeTakeFirst())?.companies ?? 0;
  const row = (tenantId: string, id: string) =>
    t.db.selectFrom('company_view').selectAll().where('tenant_id', '=', tenantId).where('company_id', '=', id).executeTakeFirst();

  it('its row builder writes every column of company_view', async () => {
    expect(Object.keys(companyViewRow('t', randomUUID(), 1, null)).sort()).toEqual(await t.columnsOf('company_view'));
  });

  it('keeps the highest version and counts the company while it exists', async () => {
    const [tenantId, id] = [randomUUID(), randomUUID()];
    const deletedAt = new Date('2026-01-01T00:00:00.000Z');
    await applyCompanyVersion(t.db, companyViewRow(tenantId, id, 2, deletedAt)).execute();
    expect(await companies(tenantId)).toBe(0);
    await applyCompanyVersion(t.db, companyViewRow(tenantId, id, 1, null)).execute();
    expect(await row(tenantId, id)).toMatchObject({ version: 2, deleted: true, deleted_at: deletedAt });
    expect(await companies(tenantId)).toBe(0);
    await applyCompanyVersion(t.db, companyViewRow(tenantId, id, 3, null)).execute();
    expect(await row(tenantId, id)).toMatchObject({ version: 3, deleted: false, deleted_at: null });
    expect(await companies(tenantId)).toBe(1);
    await applyCompanyVersion(t.db, companyViewRow(tenantId, id, 4, deletedAt)).execute();
    expect(await companies(tenantId)).toBe(0);
  });
});
