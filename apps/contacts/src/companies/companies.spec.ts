import {
  Actor,
  Company,
  COMPANY_SORTS,
  companyCreated,
  companyDeleted,
  companyRestored,
  companyUpdated,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  listContacts,
  restoreCompany,
  updateCompany,
} from '@crm/contracts';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../testing/contacts-test-context';

describe('companies', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  const ids = (companies: Company[]) => companies.map((c) => c.id);

  it('creates a company (one primary phone, distinct tags, lower-case domain) and reads it back; publishes created', async () => {
    const created = await ctx.call(
      createCompany,
      {
        company: {
          name: 'Initech',
          domain: 'Initech.Example',
          industry: 'Software',
          phones: [{ number: '+1 555 0100' }, { number: '+1 555 0101' }],
          addresses: [{ city: 'Austin' }],
          tags: ['b2b', 'b2b'],
        },
      },
      actor,
    );
    expect(created).toMatchObject({
      name: 'Initech',
      domain: 'initech.example',
      industry: 'Software',
      phones: [
        { number: '+1 555 0100', primary: true },
        { number: '+1 555 0101', primary: false },
      ],
      addresses: [{ city: 'Austin' }],
      ownerId: null,
      tags: ['b2b'],
      customFields: {},
      version: 1,
      deletedAt: null,
    });
    expect(await ctx.call(getCompany, { id: created.id }, actor)).toEqual(created);
    const event = await ctx.event((e) => e.type === companyCreated.name && e.subject === created.id);
    expect(event).toMatchObject({ tenantid: actor.tenantId, entityversion: 1, data: { company: created } });
  });

  it('refuses bad input naming the fields', async () => {
    const error = await expectRemoteError(ctx.callUnchecked(createCompany, { company: { name: ' ', ownerId: 'me' } }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error)).toEqual(expect.arrayContaining(['company.name', 'company.ownerId']));
  });

  it("hides another tenant's company everywhere", async () => {
    const mine = await ctx.newCompany(actor, { name: 'Hidden Corp' });
    const stranger = ctx.newActor();
    await expectRemoteError(ctx.call(getCompany, { id: mine.id }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(updateCompany, { id: mine.id, patch: { name: 'Mine now' } }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(deleteCompany, { id: mine.id }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(restoreCompany, { id: mine.id }, stranger), 'NOT_FOUND');
    expect((await ctx.call(listCompanies, {}, stranger)).data).toEqual([]);
    expect((await ctx.call(listCompanies, { filter: { q: 'hidden' } }, stranger)).data).toEqual([]);
  });

  it('updates with patch semantics and optimistic concurrency; the event lists what changed', async () => {
    const created = await ctx.newCompany(actor, { name: 'Old Name', industry: 'Retail', tags: ['a'] });
    const updated = await ctx.call(updateCompany, { id: created.id, expectedVersion: 1, patch: { name: 'New Name', industry: 'Retail' } }, actor);
    expect(updated).toMatchObject({ name: 'New Name', industry: 'Retail', tags: ['a'], version: 2 });
    const event = await ctx.event((e) => e.type === companyUpdated.name && e.subject === created.id);
    expect(event).toMatchObject({ entityversion: 2, data: { company: updated, changed: ['name'] } });
    await expectRemoteError(ctx.call(updateCompany, { id: created.id, expectedVersion: 1, patch: { name: 'Lost' } }, actor), 'PRECONDITION_FAILED');
    expect(await ctx.call(getCompany, { id: created.id }, actor)).toMatchObject({ name: 'New Name', version: 2 });
  });

  it("a rename carries over to its own and its contacts' search", async () => {
    const company = await ctx.newCompany(actor, { name: 'Umbrella' });
    const contact = await ctx.newContact(actor, { firstName: 'Alice', companyId: company.id });
    await ctx.call(updateCompany, { id: company.id, patch: { name: 'Hooli' } }, actor);
    expect((await ctx.call(listContacts, { filter: { q: 'hooli' } }, actor)).data.map((c) => c.id)).toEqual([contact.id]);
    expect((await ctx.call(listContacts, { filter: { q: 'umbrella' } }, actor)).data).toEqual([]);
    expect(ids((await ctx.call(listCompanies, { filter: { q: 'hoolli' } }, actor)).data)).toEqual([company.id]);
    expect((await ctx.call(listCompanies, { filter: { q: 'umbrella' } }, actor)).data).toEqual([]);
  });

  it('soft-deletes and restores, with events; a deleted company cannot be linked to', async () => {
    const created = await ctx.newCompany(actor);
    await expectRemoteError(ctx.call(deleteCompany, { id: created.id, expectedVersion: 7 }, actor), 'PRECONDITION_FAILED');
    const deleted = await ctx.call(deleteCompany, { id: created.id, expectedVersion: 1 }, actor);
    expect(deleted).toMatchObject({ version: 2, deletedAt: expect.any(String) });
    expect(ids((await ctx.call(listCompanies, {}, actor)).data)).not.toContain(created.id);
    expect(ids((await ctx.call(listCompanies, { filter: { includeDeleted: true } }, actor)).data)).toContain(created.id);
    const linkError = await expectRemoteError(ctx.newContact(actor, { companyId: created.id }), 'VALIDATION_FAILED');
    expect(failedPaths(linkError)).toEqual(['contact.companyId']);
    expect(await ctx.event((e) => e.type === companyDeleted.name && e.subject === created.id)).toMatchObject({
      entityversion: 2,
      data: { companyId: created.id, deletedAt: deleted.deletedAt },
    });

    const restored = await ctx.call(restoreCompany, { id: created.id }, actor);
    expect(restored).toMatchObject({ version: 3, deletedAt: null });
    expect(await ctx.event((e) => e.type === companyRestored.name && e.subject === created.id)).toMatchObject({
      entityversion: 3,
      data: { company: restored },
    });
  });

  describe('lists', () => {
    const owner = '22222222-2222-4222-8222-222222222222';
    let tenant: Actor;
    let all: Company[];

    beforeAll(async () => {
      tenant = ctx.newActor();
      all = [];
      for (const company of [
        { name: 'delta Systems', tags: ['x'] },
        { name: 'Alpha Industries', ownerId: owner },
        { name: 'Ćharlie Co', tags: ['x'], ownerId: owner },
        { name: 'Bravo Labs' },
      ]) {
        all.push(await ctx.newCompany(tenant, company));
      }
      all[3] = await ctx.call(updateCompany, { id: all[3].id, patch: { industry: 'Biotech' } }, tenant);
    });

    it('filters by tag, owner, updatedSince', async () => {
      const list = async (filter: object) => ids((await ctx.call(listCompanies, { filter, limit: 100 }, tenant)).data).sort();
      expect(await list({ tag: 'x' })).toEqual([all[0].id, all[2].id].sort());
      expect(await list({ ownerId: owner })).toEqual([all[1].id, all[2].id].sort());
      expect(await list({ updatedSince: all[3].updatedAt })).toEqual([all[3].id]);
    });

    const name = (c: Company) => c.name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    const expected: Record<(typeof COMPANY_SORTS)[number], (a: Company, b: Company) => number> = {
      name: (a, b) => name(a).localeCompare(name(b)),
      '-name': (a, b) => name(b).localeCompare(name(a)),
      updatedAt: (a, b) => a.updatedAt.localeCompare(b.updatedAt),
      '-updatedAt': (a, b) => b.updatedAt.localeCompare(a.updatedAt),
      createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt),
      '-createdAt': (a, b) => b.createdAt.localeCompare(a.createdAt),
    };

    it.each(COMPANY_SORTS)('sorts by %s, across pages of 1', async (sort) => {
      const seen: Company[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.call(listCompanies, { sort, limit: 1, cursor }, tenant);
        seen.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen.length < 10);
      expect(ids(seen)).toEqual(ids([...all].sort(expected[sort])));
    });

    it('searches names with typos', async () => {
      expect(ids((await ctx.call(listCompanies, { filter: { q: 'Alpah Industries' } }, tenant)).data)).toEqual([all[1].id]);
      expect(ids((await ctx.call(listCompanies, { filter: { q: 'charlie' } }, tenant)).data)).toEqual([all[2].id]);
      expect((await ctx.call(listCompanies, { filter: { q: 'zebra' } }, tenant)).data).toEqual([]);
    });
  });
});
