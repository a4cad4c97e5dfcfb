import { isDeepStrictEqual } from 'node:util';
import { ApiResponse, eventually, expectProblem, summary } from '../api-client';
import { CATCH_UP_MS, contactsOf, figuresOf, figuresOnceCaughtUp, ids, sharedSystem, signUpTenant, Tenant } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** The tenant wall: another organisation's records are not found, listed, searched, linked or counted. */
describe('tenant isolation (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;
  let A: Tenant;
  let B: Tenant;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'isolation-a');
    B = await signUpTenant(api, run, 'isolation-b');
    fixture = await new CrmFixture(api, A).everything();
    await fixture.mergeMaggie();
  });

  it("tenant isolation: B gets 404 for A's records and sees none of them in lists, search or figures", async () => {
    const { margaret, acme, globex } = fixture;
    const analyticsOf = (token: string) => api.get('/api/v1/analytics/summary', token);
    // The same email as A's contact is no duplicate in another tenant.
    const own = await api.post(
      '/api/v1/contacts',
      { firstName: 'Bianca', lastName: 'Byers', emails: [{ address: 'margaret.thornton@acme.example' }] },
      B.token,
    );
    expect(summary(own)).toMatchObject({ status: 201 });
    const bContactId = own.body.id;
    const ownCompany = await api.post('/api/v1/companies', { name: 'Bluth Company' }, B.token);
    expect(summary(ownCompany)).toMatchObject({ status: 201 });
    const bCompanyId = ownCompany.body.id;

    const contact = `/api/v1/contacts/${margaret.id}`;
    const company = `/api/v1/companies/${acme.id}`;
    const attempts: Array<[string, Promise<ApiResponse>]> = [
      [`GET ${contact}`, api.get(contact, B.token)],
      [`PATCH ${contact}`, api.patch(contact, { title: 'Spy' }, B.token)],
      [`PATCH ${contact} If-Match`, api.patch(contact, { title: 'Spy' }, B.token, { 'if-match': `"${margaret.version}"` })],
      [`DELETE ${contact}`, api.delete(contact, B.token)],
      [`POST ${contact}/restore`, api.post(`${contact}/restore`, {}, B.token)],
      [`GET ${contact}/interactions`, api.get(`${contact}/interactions`, B.token)],
      [`POST ${contact}/interactions`, api.post(`${contact}/interactions`, { channel: 'note', subject: 'snooping' }, B.token)],
      [`GET ${contact}/export`, api.get(`${contact}/export`, B.token)],
      [`POST ${contact}/erase`, api.post(`${contact}/erase`, {}, B.token)],
      [`POST merge A's into B's`, api.post(`/api/v1/contacts/${bContactId}/merge`, { mergedId: margaret.id }, B.token)],
      [`GET ${company}`, api.get(company, B.token)],
      [`PATCH ${company}`, api.patch(company, { name: 'Mine now' }, B.token)],
      [`DELETE ${company}`, api.delete(company, B.token)],
      [`POST ${company}/restore`, api.post(`${company}/restore`, {}, B.token)],
    ];
    const statuses = Object.fromEntries(await Promise.all(attempts.map(async ([name, response]) => [name, (await response).status] as const)));
    expect(statuses).toEqual(Object.fromEntries(attempts.map(([name]) => [name, 404])));
    // Nothing of A's changed.
    expect((await api.get(contact, A.token)).body).toMatchObject({ version: margaret.version, title: 'Head of Procurement', deletedAt: null });
    expect((await api.get(company, A.token)).body).toMatchObject({ name: 'Acme Widgets', deletedAt: null });
    expect(ids(await api.get(`${contact}/interactions?limit=100`, A.token))).toHaveLength(7);

    // A's company cannot be linked from B.
    expectProblem(await api.post('/api/v1/contacts', { firstName: 'Bob', lastName: 'Loblaw', companyId: acme.id }, B.token), 400, ['companyId']);

    const { list: contactsOfB } = contactsOf(api, B.token);
    expect(ids(await contactsOfB('limit=100'))).toEqual([bContactId]);
    expect(ids(await contactsOfB('includeDeleted=true&limit=100'))).toEqual([bContactId]);
    for (const q of ['Thornton', 'Globex', 'Anders', '5550100200']) {
      expect({ q, ids: ids(await contactsOfB(`q=${q}`)).filter((id) => id !== bContactId) }).toEqual({ q, ids: [] });
    }
    expect(ids(await contactsOfB(`companyId=${globex.id}`))).toEqual([]);
    expect(ids(await api.get('/api/v1/companies?includeDeleted=true', B.token))).toEqual([bCompanyId]);
    expect((await api.get('/api/v1/custom-fields', B.token)).body).toEqual({ data: [] });

    const want = {
      contacts: { total: 1, byLifecycleStage: { lead: 1, prospect: 0, customer: 0, churned: 0 } },
      companies: { total: 1 },
      interactions: { total: 0, byChannel: { call: 0, email: 0, meeting: 0, chat: 0, note: 0 } },
    };
    const bFigures = await eventually(
      () => analyticsOf(B.token),
      (r) => isDeepStrictEqual(figuresOf(r.body), want),
      CATCH_UP_MS,
    );
    expect(figuresOf(bFigures.body)).toEqual(want);
    // And A's figures are A's alone.
    expect(figuresOf((await figuresOnceCaughtUp(api, A.token, fixture.figures.summary())).body)).toEqual(fixture.figures.summary());
  });
});
