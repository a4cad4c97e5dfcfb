import { randomUUID } from 'node:crypto';
import { DomainError, importCompanies, importContacts, importInteractions } from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';

type Imported = { externalId?: string };
/** An interaction import as the contacts service received it: the items and the caller. */
type InteractionImport = { interactions: { contactId: string; subject?: string; loggedBy?: string }[]; userId: string };

/**
 * POST /api/v1/imports/*: one bus call each to the contacts service (here a stand-in that answers
 * as it does), permissions, 400 naming the item's field (the gateway's checks and the service's).
 */
describe('import routes', () => {
  const prefix = testBusPrefix();
  /** Contacts the stand-in knows, so that an interaction of another contact is refused as the service refuses it. */
  const knownContacts = new Set<string>();
  const interactionImports: InteractionImport[] = [];
  const created = (items: Imported[], remember?: Set<string>) => ({
    created: items.map(({ externalId }) => {
      const id = randomUUID();
      remember?.add(id);
      return { ...(externalId !== undefined && { externalId }), id };
    }),
  });
  let ctx: GatewayTestContext;
  let contacts: { close(): Promise<void> };
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: prefix,
      handlers: {
        [importCompanies.name]: (request) => created((request as { companies: Imported[] }).companies),
        [importContacts.name]: (request) => created((request as { contacts: Imported[] }).contacts, knownContacts),
        [importInteractions.name]: (request, { actor }) => {
          const { interactions } = request as Omit<InteractionImport, 'userId'>;
          const unknown = interactions.findIndex((i) => !knownContacts.has(i.contactId));
          if (unknown >= 0)
            throw new DomainError('VALIDATION_FAILED', 'unknown contact', {
              errors: [{ field: `interactions.${unknown}.contactId`, message: 'no such contact' }],
            });
          interactionImports.push({ interactions, userId: actor.userId });
          return { created: interactions.length };
        },
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  it('imports companies, contacts and interactions: 201 with the ids the service gave', async () => {
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
    const people = ((await imported.json()) as Json).created;
    expect(people).toEqual([{ externalId: 'p-1', id: expect.any(String) }, { id: expect.any(String) }]);

    const interactions = await ctx.post(
      '/api/v1/imports/interactions',
      {
        interactions: [
          { contactId: people[0].id, channel: 'call' },
          { contactId: people[1].id, channel: 'email', subject: 'Hi' },
        ],
      },
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
    /** What the service was asked to store since `from`: [subject, loggedBy as sent, caller]. */
    const received = (from: number) =>
      interactionImports.slice(from).flatMap(({ interactions, userId }) => interactions.map((i) => [i.subject, i.loggedBy, userId]));

    beforeAll(async () => {
      const imported = await ctx.post('/api/v1/imports/contacts', { contacts: [{ firstName: 'Authored' }] }, admin.accessToken);
      contactId = ((await imported.json()) as Json).created[0].id;
      sales = await newUser('sales');
      manager = await newUser('manager');
      stranger = await ctx.signup();
    });

    it('a non-admin authors its own imports: another loggedBy is 400 naming the item, before the service is asked', async () => {
      const before = interactionImports.length;
      const refused = await expectProblem(await importAs(sales.accessToken, [{ subject: 'mine' }, { subject: 'forged', loggedBy: admin.user.id }]), 400);
      expect(refused.errors.map((e: Json) => e.field)).toEqual(['interactions.1.loggedBy']);
      expect(received(before)).toEqual([]);

      expect((await importAs(sales.accessToken, [{ subject: 's1' }, { subject: 's2', loggedBy: sales.id }])).status).toBe(201);
      expect(received(before)).toEqual([
        ['s1', undefined, sales.id],
        ['s2', sales.id, sales.id],
      ]);
    });

    it('an admin may import history logged by a user of its organisation, never by anyone else', async () => {
      const before = interactionImports.length;
      for (const loggedBy of ['00000000-0000-4000-8000-000000000000', stranger.user.id]) {
        const refused = await expectProblem(
          await importAs(admin.accessToken, [
            { subject: 'ok', loggedBy: manager.id },
            { subject: 'bad', loggedBy },
          ]),
          400,
        );
        expect(refused.errors.map((e: Json) => e.field)).toEqual(['interactions.1.loggedBy']);
      }
      expect(received(before)).toEqual([]);
      expect((await importAs(admin.accessToken, [{ subject: 'a1', loggedBy: manager.id }, { subject: 'a2' }])).status).toBe(201);
      expect(received(before)).toEqual([
        ['a1', manager.id, admin.user.id],
        ['a2', undefined, admin.user.id],
      ]);
    });
  });
});
