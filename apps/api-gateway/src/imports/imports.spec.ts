import { deleteBusObjects, testBusPrefix, testEnv, TestService } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';
import { startContactsService } from '../testing/contacts-service';

jest.setTimeout(60_000);

/** POST /api/v1/imports/*: one bus call each to the real contacts service, permissions, 400 naming the item's field. */
describe('import routes', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let contacts: TestService;
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    contacts = await startContactsService(prefix);
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
    await deleteBusObjects((await testEnv()).rabbitmqUrl, prefix);
  });

  it('imports companies, contacts and interactions: 201 with the new ids, readable through the API', async () => {
    const companies = await ctx.post('/api/v1/imports/companies', { companies: [{ externalId: 'c-1', name: 'Acme' }] }, admin.accessToken);
    expect(companies.status).toBe(201);
    const [company] = ((await companies.json()) as Json).created;
    expect(company).toEqual({ externalId: 'c-1', id: expect.any(String) });

    const imported = await ctx.post(
      '/api/v1/imports/contacts',
      { contacts: [{ externalId: 'p-1', firstName: 'Ada', companyId: company.id }, { firstName: 'Grace' }] },
      admin.accessToken,
    );
    expect(imported.status).toBe(201);
    const created = ((await imported.json()) as Json).created;
    expect(created).toEqual([{ externalId: 'p-1', id: expect.any(String) }, { id: expect.any(String) }]);
    const ada = await ctx.get(`/api/v1/contacts/${created[0].id}`, admin.accessToken);
    expect(ada.status).toBe(200);
    expect(await ada.json()).toMatchObject({ firstName: 'Ada', companyId: company.id });

    const interactions = await ctx.post(
      '/api/v1/imports/interactions',
      { interactions: [{ contactId: created[0].id, channel: 'call' }, { contactId: created[1].id, channel: 'email', subject: 'Hi' }] },
      admin.accessToken,
    );
    expect(interactions.status).toBe(201);
    expect(await interactions.json()).toEqual({ created: 2 });
  });

  it('answers 400 naming the bad item and field, at the gateway and from the service', async () => {
    const contactsBody = { contacts: [0, 1, 2, 3].map((n) => ({ firstName: `P${n}`, emails: [{ address: n === 3 ? 'nope' : `p${n}@example.com` }] })) };
    const atGateway = await expectProblem(await ctx.post('/api/v1/imports/contacts', contactsBody, admin.accessToken), 400);
    expect(atGateway.errors.map((e: Json) => e.field)).toEqual(['contacts.3.emails.0.address']);

    const foreign = '00000000-0000-4000-8000-000000000000';
    const fromService = await expectProblem(
      await ctx.post('/api/v1/imports/interactions', { interactions: [{ contactId: foreign, channel: 'note' }] }, admin.accessToken),
      400,
    );
    expect(JSON.stringify(fromService)).toContain('interactions.0.contactId');
    await expectProblem(await ctx.post('/api/v1/imports/companies', { companies: [] }, admin.accessToken), 400);
  });

  it('requires the create permission of the records imported', async () => {
    const email = `viewer-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const user = await ctx.post('/api/v1/users', { email, name: 'Viewer', password, roles: ['viewer'] }, admin.accessToken);
    expect(user.status).toBe(201);
    const viewer = await ctx.login(email, password);
    await expectProblem(await ctx.post('/api/v1/imports/contacts', { contacts: [{ firstName: 'X' }] }, viewer.accessToken), 403);
    await expectProblem(await ctx.post('/api/v1/imports/contacts', { contacts: [{ firstName: 'X' }] }), 401);
  });

  describe('authorship of imported interactions (loggedBy)', () => {
    const password = 'correct horse battery staple';
    let contactId: string;
    let sales: { id: string; accessToken: string };
    let manager: { id: string };
    let stranger: SignedUp;

    async function newUser(role: string): Promise<{ id: string; accessToken: string }> {
      const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
      const user = await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken);
      expect(user.status).toBe(201);
      return { id: ((await user.json()) as Json).id, accessToken: (await ctx.login(email, password)).accessToken };
    }
    const importAs = (token: string, interactions: Json[]) =>
      ctx.post('/api/v1/imports/interactions', { interactions: interactions.map((i) => ({ contactId, channel: 'note', ...i })) }, token);
    const authors = async () =>
      ((await (await ctx.get(`/api/v1/contacts/${contactId}/interactions?limit=100`, admin.accessToken)).json()) as Json).data.map(
        (i: Json) => [i.subject, i.loggedBy],
      );

    beforeAll(async () => {
      const imported = await ctx.post('/api/v1/imports/contacts', { contacts: [{ firstName: 'Authored' }] }, admin.accessToken);
      contactId = ((await imported.json()) as Json).created[0].id;
      sales = await newUser('sales');
      manager = await newUser('manager');
      stranger = await ctx.signup();
    });

    it('a non-admin authors its own imports: another loggedBy is 400 naming the item, its own id or none is the caller', async () => {
      const refused = await expectProblem(await importAs(sales.accessToken, [{ subject: 'mine' }, { subject: 'forged', loggedBy: admin.user.id }]), 400);
      expect(refused.errors.map((e: Json) => e.field)).toEqual(['interactions.1.loggedBy']);
      expect(await authors()).toEqual([]);

      expect((await importAs(sales.accessToken, [{ subject: 's1' }, { subject: 's2', loggedBy: sales.id }])).status).toBe(201);
      expect((await authors()).sort()).toEqual([
        ['s1', sales.id],
        ['s2', sales.id],
      ]);
    });

    it('an admin may import history logged by a user of its organisation, never by anyone else', async () => {
      for (const loggedBy of ['00000000-0000-4000-8000-000000000000', stranger.user.id]) {
        const refused = await expectProblem(await importAs(admin.accessToken, [{ subject: 'ok', loggedBy: manager.id }, { subject: 'bad', loggedBy }]), 400);
        expect(refused.errors.map((e: Json) => e.field)).toEqual(['interactions.1.loggedBy']);
      }
      expect((await importAs(admin.accessToken, [{ subject: 'a1', loggedBy: manager.id }, { subject: 'a2' }])).status).toBe(201);
      const bySubject = Object.fromEntries(await authors());
      expect({ a1: bySubject.a1, a2: bySubject.a2 }).toEqual({ a1: manager.id, a2: admin.user.id });
      expect(Object.keys(bySubject)).not.toContain('bad');
    });
  });
});
