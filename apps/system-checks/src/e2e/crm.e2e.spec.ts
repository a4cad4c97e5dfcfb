import { isDeepStrictEqual } from 'node:util';
import { testEnv, testRedis, TestRedis } from '@crm/testing';
import { LocalSystem } from '../support/local-system';
import {
  ApiClient,
  ApiResponse,
  eventually,
  expectProblem,
  Json,
  summary,
} from './api-client';

/*
 * The whole system as `npm run start:all` runs it (gateway, contacts, analytics: real Postgres,
 * RabbitMQ, Redis), driven only over the public HTTP API, the way a client would. One start for
 * the file; the `it`s build on each other, in order (two tenants, their records, then what the
 * other services and the other tenant see of them). Every response is recorded: the last `it`
 * fails if anything answered 5xx.
 */
const READY_WAIT_MS = 150_000;
/** How long the analytics read model may take to catch up with the events: a bounded wait, not an assertion on time. */
const CATCH_UP_MS = 15_000;
const PASSWORD = 'correct horse battery staple';
/** Per `it`: each makes tens of requests through the gateway and the bus, on a machine that may be busy. */
jest.setTimeout(60_000);

interface Tenant {
  token: string;
  tenantId: string;
  adminEmail: string;
}

type Stage = 'lead' | 'prospect' | 'customer' | 'churned';
type Channel = 'call' | 'email' | 'meeting' | 'chat' | 'note';

/** What tenant A's analytics summary must come to: the active contacts' stages, companies, interactions by channel. */
class ExpectedFigures {
  readonly contacts = new Map<string, Stage>();
  companies = 0;
  readonly interactions: Record<Channel, number> = {
    call: 0,
    email: 0,
    meeting: 0,
    chat: 0,
    note: 0,
  };

  summary() {
    const byLifecycleStage = { lead: 0, prospect: 0, customer: 0, churned: 0 };
    for (const stage of this.contacts.values()) byLifecycleStage[stage] += 1;
    const total = Object.values(this.interactions).reduce((a, b) => a + b, 0);
    return {
      contacts: { total: this.contacts.size, byLifecycleStage },
      companies: { total: this.companies },
      interactions: { total, byChannel: { ...this.interactions } },
    };
  }
}

/** The figures of a summary reply that ExpectedFigures predicts. */
function figuresOf(body: Json) {
  return {
    contacts: body?.contacts,
    companies: body?.companies,
    interactions: body?.interactions && {
      total: body.interactions.total,
      byChannel: body.interactions.byChannel,
    },
  };
}

const ids = (page: ApiResponse): string[] =>
  ((page.body?.data ?? []) as { id: string }[]).map((r) => r.id);

describe('CRM end to end, over HTTP (npm run start:all)', () => {
  let system: LocalSystem;
  let redis: TestRedis;
  let api: ApiClient;
  const A = {} as Tenant;
  const B = {} as Tenant;
  let viewerToken: string;
  const expected = new ExpectedFigures();

  // Records made along the way, by name.
  let acme: Json;
  let globex: Json;
  let margaret: Json;
  /** The batch for lists, in lastName order. */
  const batch: Json[] = [];
  let duplicateId: string;
  let bContactId: string;
  let bCompanyId: string;

  const contactsOf = (query: string, token = A.token) =>
    api.get(`/api/v1/contacts?${query}`, token);
  const analyticsOf = (token: string) =>
    api.get('/api/v1/analytics/summary', token);
  /** Every page of a contacts list, following nextCursor: the ids in order. */
  async function allPages(
    query: string,
    token = A.token,
  ): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await contactsOf(
        `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        token,
      );
      expect(summary(page)).toMatchObject({ status: 200 });
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { ids: seen, pages };
  }

  beforeAll(async () => {
    redis = await testRedis();
    system = new LocalSystem(await testEnv(), 'e2e');
    // The gateway's Redis keys (rate limits, login throttling) under this run's prefix, removed after.
    await system.start({ AUTH_REDIS_PREFIX: redis.prefix });
    await system.waitUntilReady(READY_WAIT_MS);
    api = new ApiClient(system.url('api-gateway'));
  }, READY_WAIT_MS + 60_000);

  afterAll(async () => {
    await system?.stop(45_000);
    await system?.cleanup();
    await redis?.cleanup();
  }, 180_000);

  it('signs up two tenants; an admin adds a viewer, who logs in', async () => {
    for (const [tenant, name] of [
      [A, 'a'],
      [B, 'b'],
    ] as const) {
      tenant.adminEmail = `admin-${name}-${system.run}@example.test`;
      const signup = await api.post('/api/v1/auth/signup', {
        organization: `Tenant ${name.toUpperCase()}`,
        name: `Admin ${name}`,
        email: tenant.adminEmail,
        password: PASSWORD,
      });
      expect(summary(signup)).toMatchObject({
        status: 201,
        body: { accessToken: expect.any(String), user: { roles: ['admin'] } },
      });
      tenant.token = signup.body.accessToken;
      tenant.tenantId = signup.body.tenant.id;
    }
    expect(A.tenantId).not.toBe(B.tenantId);

    const viewerEmail = `viewer-a-${system.run}@example.test`;
    const created = await api.post(
      '/api/v1/users',
      {
        email: viewerEmail,
        name: 'Vera Viewer',
        password: PASSWORD,
        roles: ['viewer'],
      },
      A.token,
    );
    expect(summary(created)).toMatchObject({
      status: 201,
      body: { email: viewerEmail, roles: ['viewer'] },
    });

    const login = await api.post('/api/v1/auth/login', {
      email: viewerEmail,
      password: PASSWORD,
    });
    expect(summary(login)).toMatchObject({
      status: 200,
      body: { accessToken: expect.any(String) },
    });
    viewerToken = login.body.accessToken;
    const me = await api.get('/api/v1/auth/me', viewerToken);
    expect(summary(me)).toMatchObject({
      status: 200,
      body: {
        user: { email: viewerEmail, roles: ['viewer'], tenantId: A.tenantId },
      },
    });
  });

  it('defines a select custom field; a value outside its options is a 400 naming customFields.tier', async () => {
    const definition = {
      entity: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['gold', 'silver', 'bronze'],
    };
    const defined = await api.post(
      '/api/v1/custom-fields',
      definition,
      A.token,
    );
    expect(summary(defined)).toMatchObject({
      status: 201,
      body: { ...definition, id: expect.any(String), version: 1 },
    });

    const listed = await api.get(
      '/api/v1/custom-fields?entity=contact',
      A.token,
    );
    expect(summary(listed)).toMatchObject({ status: 200 });
    expect(listed.body.data.map((d: Json) => d.key)).toEqual(['tier']);

    const bad = await api.post(
      '/api/v1/contacts',
      {
        firstName: 'Pat',
        lastName: 'Platinum',
        customFields: { tier: 'platinum' },
      },
      A.token,
    );
    expectProblem(bad, 400, ['customFields.tier']);
    const unknown = await api.post(
      '/api/v1/contacts',
      {
        firstName: 'Pat',
        lastName: 'Platinum',
        customFields: { shoe_size: 'xl' },
      },
      A.token,
    );
    expectProblem(unknown, 400, ['customFields.shoe_size']);
    // Tenant B has no such field.
    const inB = await api.post(
      '/api/v1/contacts',
      {
        firstName: 'Pat',
        lastName: 'Platinum',
        customFields: { tier: 'gold' },
      },
      B.token,
    );
    expectProblem(inB, 400, ['customFields.tier']);
  });

  it('companies: create, read with an ETag, update with If-Match (stale: 412), list', async () => {
    const created = await api.post(
      '/api/v1/companies',
      {
        name: 'Acme Widgets',
        domain: 'acme.example',
        industry: 'Widgets',
        tags: ['key-account'],
      },
      A.token,
    );
    expect(summary(created)).toMatchObject({
      status: 201,
      body: { name: 'Acme Widgets', version: 1, deletedAt: null },
    });
    expect(created.headers.get('location')).toBe(
      `/api/v1/companies/${created.body.id}`,
    );
    acme = created.body;
    const second = await api.post(
      '/api/v1/companies',
      { name: 'Globex Corporation', domain: 'globex.example' },
      A.token,
    );
    expect(summary(second)).toMatchObject({ status: 201 });
    globex = second.body;
    expected.companies = 2;

    const read = await api.get(`/api/v1/companies/${acme.id}`, A.token);
    expect(summary(read)).toMatchObject({
      status: 200,
      body: { id: acme.id, name: 'Acme Widgets', domain: 'acme.example' },
    });
    expect(read.headers.get('etag')).toBe('"1"');

    const updated = await api.patch(
      `/api/v1/companies/${acme.id}`,
      { industry: 'Manufacturing' },
      A.token,
      { 'if-match': '"1"' },
    );
    expect(summary(updated)).toMatchObject({
      status: 200,
      body: { industry: 'Manufacturing', version: 2 },
    });
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await api.patch(
      `/api/v1/companies/${acme.id}`,
      { industry: 'Anvils' },
      A.token,
      { 'if-match': '"1"' },
    );
    expectProblem(stale, 412);
    expect(
      (await api.get(`/api/v1/companies/${acme.id}`, A.token)).body,
    ).toMatchObject({ industry: 'Manufacturing', version: 2 });

    const list = await api.get('/api/v1/companies?sort=name', A.token);
    expect(summary(list)).toMatchObject({
      status: 200,
      body: { nextCursor: null },
    });
    expect(list.body.data.map((c: Json) => c.name)).toEqual([
      'Acme Widgets',
      'Globex Corporation',
    ]);
    const paged = await api.get(
      '/api/v1/companies?sort=-name&limit=1',
      A.token,
    );
    expect(paged.body.data.map((c: Json) => c.name)).toEqual([
      'Globex Corporation',
    ]);
    const next = await api.get(
      `/api/v1/companies?sort=-name&limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`,
      A.token,
    );
    expect(next.body.data.map((c: Json) => c.name)).toEqual(['Acme Widgets']);
  });

  it('contacts: create with everything, read with an ETag, update with If-Match → version + 1; a stale one → 412', async () => {
    const input = {
      firstName: 'Margaret',
      lastName: 'Thornton',
      title: 'Head of Procurement',
      emails: [
        {
          address: 'margaret.thornton@acme.example',
          label: 'work',
          primary: true,
        },
      ],
      phones: [{ number: '+1 (555) 010-0200', label: 'mobile' }],
      tags: ['vip', 'newsletter'],
      lifecycleStage: 'prospect',
      companyId: acme.id,
      customFields: { tier: 'gold' },
    };
    const created = await api.post('/api/v1/contacts', input, A.token);
    expect(summary(created)).toMatchObject({
      status: 201,
      body: {
        ...input,
        emails: [
          {
            address: 'margaret.thornton@acme.example',
            label: 'work',
            primary: true,
          },
        ],
        phones: [
          { number: '+1 (555) 010-0200', label: 'mobile', primary: true },
        ],
        version: 1,
        deletedAt: null,
      },
    });
    expect(created.headers.get('location')).toBe(
      `/api/v1/contacts/${created.body.id}`,
    );
    margaret = created.body;

    const read = await api.get(`/api/v1/contacts/${margaret.id}`, A.token);
    expect(summary(read)).toMatchObject({
      status: 200,
      body: {
        id: margaret.id,
        customFields: { tier: 'gold' },
        companyId: acme.id,
      },
    });
    expect(read.headers.get('etag')).toBe('"1"');

    const updated = await api.patch(
      `/api/v1/contacts/${margaret.id}`,
      { lifecycleStage: 'customer', customFields: { tier: 'silver' } },
      A.token,
      {
        'if-match': read.headers.get('etag') as string,
      },
    );
    expect(summary(updated)).toMatchObject({
      status: 200,
      body: {
        lifecycleStage: 'customer',
        customFields: { tier: 'silver' },
        version: 2,
      },
    });
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await api.patch(
      `/api/v1/contacts/${margaret.id}`,
      { title: 'CEO' },
      A.token,
      { 'if-match': '"1"' },
    );
    expectProblem(stale, 412);
    // A version no record ever has is stale too, not a failure.
    expectProblem(
      await api.patch(
        `/api/v1/contacts/${margaret.id}`,
        { title: 'CEO' },
        A.token,
        {
          'if-match': '"0"',
        },
      ),
      412,
    );
    const after = await api.get(`/api/v1/contacts/${margaret.id}`, A.token);
    expect(after.body).toMatchObject({
      title: 'Head of Procurement',
      version: 2,
    });
    margaret = after.body;
    expected.contacts.set(margaret.id, 'customer');
  });

  it('lists: tag, companyId, lifecycleStage and updatedSince filters, sorting, cursor pages through everything', async () => {
    const names = [
      ['Alice', 'Anders'],
      ['Bruno', 'Baxter'],
      ['Chloe', 'Castillo'],
      ['Dmitri', 'Dvorak'],
      ['Esme', 'Eriksen'],
      ['Farid', 'Fontaine'],
      ['Greta', 'Gallagher'],
      ['Hiro', 'Hasegawa'],
      ['Ines', 'Iglesias'],
      ['Jonas', 'Jankowski'],
    ];
    // Created out of name order, so that sorting by lastName and by createdAt differ.
    const creationOrder = [6, 2, 9, 0, 4, 7, 1, 8, 3, 5];
    const created: Json[] = [];
    for (const i of creationOrder) {
      const [firstName, lastName] = names[i];
      const response = await api.post(
        '/api/v1/contacts',
        {
          firstName,
          lastName,
          emails: [
            {
              address: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.test`,
            },
          ],
          tags: ['batch'],
          lifecycleStage: i % 2 === 0 ? 'lead' : 'prospect',
          companyId: i % 2 === 0 ? globex.id : undefined,
        },
        A.token,
      );
      expect(summary(response)).toMatchObject({ status: 201 });
      batch[i] = response.body;
      created.push(response.body);
      expected.contacts.set(response.body.id, response.body.lifecycleStage);
    }
    const batchIds = batch.map((c) => c.id);

    const byLastName = await allPages('tag=batch&sort=lastName&limit=4');
    expect(byLastName).toEqual({ ids: batchIds, pages: 3 });
    const byLastNameDesc = await allPages('tag=batch&sort=-lastName&limit=3');
    expect(byLastNameDesc).toEqual({ ids: [...batchIds].reverse(), pages: 4 });
    const newestFirst = await allPages('tag=batch&sort=-createdAt&limit=4');
    expect(newestFirst.ids).toEqual(created.map((c) => c.id).reverse());
    // The default sort too, through every page: everything once, nothing else.
    const all = await allPages('limit=3');
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect([...all.ids].sort()).toEqual([...batchIds, margaret.id].sort());

    expect(ids(await contactsOf('tag=vip'))).toEqual([margaret.id]);
    expect(
      ids(await contactsOf(`companyId=${globex.id}&sort=lastName`)),
    ).toEqual(batch.filter((_, i) => i % 2 === 0).map((c) => c.id));
    expect(ids(await contactsOf(`companyId=${acme.id}`))).toEqual([
      margaret.id,
    ]);
    expect(
      ids(await contactsOf('tag=batch&lifecycleStage=prospect&sort=lastName')),
    ).toEqual(batch.filter((_, i) => i % 2 === 1).map((c) => c.id));
    expect(ids(await contactsOf('lifecycleStage=customer'))).toEqual([
      margaret.id,
    ]);

    // updatedSince: only what changed after the batch was written.
    const since = new Date(
      Math.max(...batch.map((c) => Date.parse(c.updatedAt))) + 1,
    ).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const promoted = await api.patch(
      `/api/v1/contacts/${batch[2].id}`,
      { lifecycleStage: 'customer' },
      A.token,
    );
    expect(summary(promoted)).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    expected.contacts.set(batch[2].id, 'customer');
    const retagged = await api.patch(
      `/api/v1/contacts/${batch[7].id}`,
      { tags: ['batch', 'webinar'] },
      A.token,
    );
    expect(summary(retagged)).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    const changed = await contactsOf(
      `updatedSince=${encodeURIComponent(since)}&sort=lastName`,
    );
    expect(summary(changed)).toMatchObject({ status: 200 });
    expect(ids(changed)).toEqual([batch[2].id, batch[7].id]);
    expect(ids(await contactsOf('tag=webinar'))).toEqual([batch[7].id]);
  });

  it('search (?q=): a name with a typo, an email, phone digits, a company name', async () => {
    const typo = await contactsOf('q=Thornten');
    expect(summary(typo)).toMatchObject({ status: 200 });
    expect(ids(typo)[0]).toBe(margaret.id);
    const firstNameTypo = await contactsOf('q=Margret');
    expect(ids(firstNameTypo)).toContain(margaret.id);

    expect(
      ids(
        await contactsOf(
          `q=${encodeURIComponent('margaret.thornton@acme.example')}`,
        ),
      ),
    ).toEqual([margaret.id]);
    expect(ids(await contactsOf('q=5550100200'))).toEqual([margaret.id]);
    expect(
      ids(await contactsOf(`q=${encodeURIComponent('555-010-0200')}`)),
    ).toEqual([margaret.id]);

    const atGlobex = await contactsOf('q=Globex&limit=100');
    expect([...ids(atGlobex)].sort()).toEqual(
      batch
        .filter((_, i) => i % 2 === 0)
        .map((c) => c.id)
        .sort(),
    );
    // Search pages like any list: all of them, once.
    const paged = await allPages('q=Globex&limit=2');
    expect([...paged.ids].sort()).toEqual([...ids(atGlobex)].sort());
    expect(ids(await contactsOf('q=Zzyzxquux'))).toEqual([]);
  });

  it('timeline: a call, an email, a meeting, a chat and a note, listed newest first', async () => {
    const base = Date.now() - 60 * 60_000;
    // Logged out of time order: the list orders by when they happened.
    const entries = [
      {
        channel: 'meeting',
        subject: 'Quarterly review',
        body: 'Went through the roadmap.',
        occurredAt: new Date(base + 3 * 60_000).toISOString(),
      },
      {
        channel: 'call',
        direction: 'outbound',
        subject: 'Intro call',
        body: 'Interested in widgets.',
        occurredAt: new Date(base).toISOString(),
      },
      {
        channel: 'note',
        subject: 'Prefers mornings',
        occurredAt: new Date(base + 5 * 60_000).toISOString(),
      },
      {
        channel: 'email',
        direction: 'inbound',
        subject: 'Re: pricing',
        body: 'Can you send a quote?',
        occurredAt: new Date(base + 60_000).toISOString(),
      },
      {
        channel: 'chat',
        direction: 'inbound',
        subject: 'Website chat',
        occurredAt: new Date(base + 4 * 60_000).toISOString(),
      },
    ];
    for (const entry of entries) {
      const logged = await api.post(
        `/api/v1/contacts/${margaret.id}/interactions`,
        entry,
        A.token,
      );
      expect(summary(logged)).toMatchObject({
        status: 201,
        body: { ...entry, contactId: margaret.id, id: expect.any(String) },
      });
      expected.interactions[entry.channel as Channel] += 1;
    }

    const timeline = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions`,
      A.token,
    );
    expect(summary(timeline)).toMatchObject({
      status: 200,
      body: { nextCursor: null },
    });
    expect(timeline.body.data.map((i: Json) => i.channel)).toEqual([
      'note',
      'chat',
      'meeting',
      'email',
      'call',
    ]);

    const calls = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions?channel=call`,
      A.token,
    );
    expect(calls.body.data.map((i: Json) => i.subject)).toEqual(['Intro call']);

    const first = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions?limit=2`,
      A.token,
    );
    const second = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      A.token,
    );
    const third = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions?limit=2&cursor=${encodeURIComponent(second.body.nextCursor)}`,
      A.token,
    );
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(
      ids(timeline),
    );
    expect(third.body.nextCursor).toBeNull();
  });

  it('duplicates: the same email is a 409 naming the candidate; merging keeps both timelines', async () => {
    const lookalike = {
      firstName: 'Maggie',
      lastName: 'Thornton',
      emails: [{ address: 'Margaret.Thornton@ACME.example' }],
      lifecycleStage: 'lead',
    };
    const refused = await api.post('/api/v1/contacts', lookalike, A.token);
    expectProblem(refused, 409);
    expect(refused.body.duplicates).toEqual([
      expect.objectContaining({
        id: margaret.id,
        reasons: expect.arrayContaining(['same-email']),
      }),
    ]);

    const forced = await api.post(
      '/api/v1/contacts',
      { ...lookalike, allowDuplicates: true },
      A.token,
    );
    expect(summary(forced)).toMatchObject({
      status: 201,
      body: { firstName: 'Maggie' },
    });
    duplicateId = forced.body.id;
    expected.contacts.set(duplicateId, 'lead');
    const ownEntries: string[] = [];
    for (const channel of ['note', 'call'] as const) {
      const logged = await api.post(
        `/api/v1/contacts/${duplicateId}/interactions`,
        { channel, subject: `Maggie ${channel}` },
        A.token,
      );
      expect(summary(logged)).toMatchObject({ status: 201 });
      ownEntries.push(logged.body.id);
      expected.interactions[channel] += 1;
    }
    const before = ids(
      await api.get(`/api/v1/contacts/${margaret.id}/interactions`, A.token),
    );

    const merged = await api.post(
      `/api/v1/contacts/${margaret.id}/merge`,
      { mergedId: duplicateId },
      A.token,
      { 'if-match': `"${margaret.version}"` },
    );
    expect(summary(merged)).toMatchObject({
      status: 200,
      body: {
        id: margaret.id,
        version: margaret.version + 1,
        lifecycleStage: 'customer',
      },
    });
    margaret = merged.body;
    expected.contacts.delete(duplicateId);

    const timeline = await api.get(
      `/api/v1/contacts/${margaret.id}/interactions?limit=100`,
      A.token,
    );
    expect([...ids(timeline)].sort()).toEqual(
      [...before, ...ownEntries].sort(),
    );

    // The merged contact: gone (404) or shown as deleted, and out of lists and search.
    const gone = await api.get(`/api/v1/contacts/${duplicateId}`, A.token);
    if (gone.status === 404) expectProblem(gone, 404);
    else
      expect(summary(gone)).toMatchObject({
        status: 200,
        body: { id: duplicateId, deletedAt: expect.any(String) },
      });
    expect(ids(await contactsOf('q=Maggie'))).not.toContain(duplicateId);
    expect(ids(await contactsOf('limit=100'))).not.toContain(duplicateId);
  });

  it('delete: out of lists, readable as deleted (documented: restorable for 30 days), not writable; restore brings it back', async () => {
    const target = batch[1];
    const stale = await api.delete(`/api/v1/contacts/${target.id}`, A.token, {
      'if-match': '"99"',
    });
    expectProblem(stale, 412);
    const deleted = await api.delete(`/api/v1/contacts/${target.id}`, A.token);
    expect(summary(deleted)).toMatchObject({ status: 204 });

    const read = await api.get(`/api/v1/contacts/${target.id}`, A.token);
    expect(summary(read)).toMatchObject({
      status: 200,
      body: { id: target.id, deletedAt: expect.any(String) },
    });
    expect(ids(await contactsOf('tag=batch&limit=100'))).not.toContain(
      target.id,
    );
    expect(
      ids(await contactsOf('tag=batch&includeDeleted=true&limit=100')),
    ).toContain(target.id);
    expect(ids(await contactsOf('q=Baxter'))).toEqual([]);
    expectProblem(
      await api.patch(
        `/api/v1/contacts/${target.id}`,
        { title: 'Ghost' },
        A.token,
      ),
      404,
    );
    expectProblem(
      await api.post(
        `/api/v1/contacts/${target.id}/interactions`,
        { channel: 'note' },
        A.token,
      ),
      404,
    );

    const restored = await api.post(
      `/api/v1/contacts/${target.id}/restore`,
      {},
      A.token,
    );
    expect(summary(restored)).toMatchObject({
      status: 200,
      body: {
        id: target.id,
        deletedAt: null,
        lifecycleStage: target.lifecycleStage,
      },
    });
    expect(
      (await api.get(`/api/v1/contacts/${target.id}`, A.token)).body,
    ).toMatchObject({ deletedAt: null });
    expect(ids(await contactsOf('q=Baxter'))).toEqual([target.id]);

    // And one that stays deleted, for the figures.
    const removed = await api.delete(
      `/api/v1/contacts/${batch[3].id}`,
      A.token,
    );
    expect(summary(removed)).toMatchObject({ status: 204 });
    expected.contacts.delete(batch[3].id);
  });

  it('more writes the figures must follow: a retried create with an Idempotency-Key, a restored merged contact, a deleted company, an import', async () => {
    // A client retrying a create (say after a timeout) with the same key gets the first answer
    // again, not a second contact (nor a 409: the retry never reaches the contacts service).
    const ivy = {
      firstName: 'Ivy',
      lastName: 'Idemura',
      emails: [{ address: 'ivy.idemura@example.test' }],
      lifecycleStage: 'churned',
    };
    const key = { 'idempotency-key': `create-ivy-${system.run}` };
    const first = await api.post('/api/v1/contacts', ivy, A.token, key);
    expect(summary(first)).toMatchObject({
      status: 201,
      body: { firstName: 'Ivy' },
    });
    const retry = await api.post('/api/v1/contacts', ivy, A.token, key);
    expect(summary(retry)).toMatchObject({
      status: 201,
      body: { id: first.body.id },
    });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(await contactsOf('q=Idemura'))).toEqual([first.body.id]);
    expected.contacts.set(first.body.id, 'churned');

    // Documented: a merged contact can be restored, with its own details but not the timeline it handed over.
    const restored = await api.post(
      `/api/v1/contacts/${duplicateId}/restore`,
      {},
      A.token,
    );
    expect(summary(restored)).toMatchObject({
      status: 200,
      body: { id: duplicateId, firstName: 'Maggie', deletedAt: null },
    });
    expect(
      ids(
        await api.get(`/api/v1/contacts/${duplicateId}/interactions`, A.token),
      ),
    ).toEqual([]);
    expect(
      ids(
        await api.get(
          `/api/v1/contacts/${margaret.id}/interactions?limit=100`,
          A.token,
        ),
      ),
    ).toHaveLength(7);
    expected.contacts.set(duplicateId, 'lead');

    // A company deleted, restored and deleted again: out of the list, and of the figures.
    const soylent = await api.post(
      '/api/v1/companies',
      { name: 'Soylent' },
      A.token,
    );
    expect(summary(soylent)).toMatchObject({ status: 201 });
    const path = `/api/v1/companies/${soylent.body.id}`;
    expect(
      summary(await api.delete(path, A.token, { 'if-match': '"1"' })),
    ).toMatchObject({ status: 204 });
    expect(ids(await api.get('/api/v1/companies', A.token))).not.toContain(
      soylent.body.id,
    );
    expect(
      summary(await api.post(`${path}/restore`, {}, A.token)),
    ).toMatchObject({ status: 200, body: { deletedAt: null } });
    expect(ids(await api.get('/api/v1/companies', A.token))).toContain(
      soylent.body.id,
    );
    expect(summary(await api.delete(path, A.token))).toMatchObject({
      status: 204,
    });

    // An import: records in request order next to the caller's own keys, then a past interaction.
    const imported = await api.post(
      '/api/v1/imports/contacts',
      {
        contacts: [
          {
            externalId: 'row-1',
            firstName: 'Kai',
            lastName: 'Kowalczyk',
            tags: ['imported'],
            lifecycleStage: 'customer',
          },
          {
            externalId: 'row-2',
            firstName: 'Lena',
            lastName: 'Lindqvist',
            tags: ['imported'],
            companyId: globex.id,
          },
        ],
      },
      A.token,
    );
    expect(summary(imported)).toMatchObject({
      status: 201,
      body: {
        created: [
          { externalId: 'row-1', id: expect.any(String) },
          { externalId: 'row-2', id: expect.any(String) },
        ],
      },
    });
    const [kai, lena] = imported.body.created.map((c: Json) => c.id);
    expect(ids(await contactsOf('tag=imported&sort=lastName'))).toEqual([
      kai,
      lena,
    ]);
    expect(
      (await api.get(`/api/v1/contacts/${lena}`, A.token)).body,
    ).toMatchObject({ companyId: globex.id, lifecycleStage: 'lead' });
    expected.contacts.set(kai, 'customer');
    expected.contacts.set(lena, 'lead');
    const loggedInBulk = await api.post(
      '/api/v1/imports/interactions',
      {
        interactions: [
          { contactId: kai, channel: 'email', subject: 'Imported thread' },
        ],
      },
      A.token,
    );
    expect(summary(loggedInBulk)).toMatchObject({
      status: 201,
      body: { created: 1 },
    });
    expected.interactions.email += 1;
    expect(
      (await api.get(`/api/v1/contacts/${kai}/interactions`, A.token)).body
        .data,
    ).toEqual([
      expect.objectContaining({ channel: 'email', subject: 'Imported thread' }),
    ]);
  });

  it('the analytics summary catches up: contacts by lifecycle stage, companies, interactions by channel', async () => {
    const want = expected.summary();
    const reply = await eventually(
      () => analyticsOf(A.token),
      (r) => r.status === 200 && isDeepStrictEqual(figuresOf(r.body), want),
      CATCH_UP_MS,
    );
    expect(summary(reply)).toMatchObject({
      status: 200,
      body: { asOf: expect.any(String), lastEventAt: expect.any(String) },
    });
    expect(figuresOf(reply.body)).toEqual(want);
  });

  it('export (contact, company, timeline) and erasure as an admin; the viewer may not erase; erased: 404 and uncounted', async () => {
    const exported = await api.get(
      `/api/v1/contacts/${margaret.id}/export`,
      A.token,
    );
    expect(summary(exported)).toMatchObject({
      status: 200,
      body: {
        exportedAt: expect.any(String),
        contact: {
          id: margaret.id,
          emails: [
            expect.objectContaining({
              address: 'margaret.thornton@acme.example',
            }),
          ],
        },
        company: { id: acme.id, name: 'Acme Widgets' },
      },
    });
    expect(exported.body.interactions).toHaveLength(7);
    expect(exported.body.interactions.map((i: Json) => i.body)).toContain(
      'Can you send a quote?',
    );

    const subject = batch[5];
    expectProblem(
      await api.post(`/api/v1/contacts/${subject.id}/erase`, {}, viewerToken),
      403,
    );
    expect(
      (await api.get(`/api/v1/contacts/${subject.id}`, A.token)).status,
    ).toBe(200);

    const erased = await api.post(
      `/api/v1/contacts/${subject.id}/erase`,
      {},
      A.token,
    );
    expect(summary(erased)).toMatchObject({
      status: 200,
      body: { id: subject.id, erasedAt: expect.any(String) },
    });
    expected.contacts.delete(subject.id);

    expectProblem(
      await api.get(`/api/v1/contacts/${subject.id}`, A.token),
      404,
    );
    expectProblem(
      await api.get(`/api/v1/contacts/${subject.id}/export`, A.token),
      404,
    );
    expectProblem(
      await api.post(`/api/v1/contacts/${subject.id}/restore`, {}, A.token),
      404,
    );
    expectProblem(
      await api.post(`/api/v1/contacts/${subject.id}/erase`, {}, A.token),
      404,
    );
    expect(ids(await contactsOf('q=Fontaine'))).toEqual([]);
    expect(
      ids(await contactsOf('includeDeleted=true&limit=100')),
    ).not.toContain(subject.id);

    const want = expected.summary();
    const reply = await eventually(
      () => analyticsOf(A.token),
      (r) => r.status === 200 && isDeepStrictEqual(figuresOf(r.body), want),
      CATCH_UP_MS,
    );
    expect(figuresOf(reply.body)).toEqual(want);
  });

  it("tenant isolation: B gets 404 for A's records and sees none of them in lists, search or figures", async () => {
    // The same email as A's contact is no duplicate in another tenant.
    const own = await api.post(
      '/api/v1/contacts',
      {
        firstName: 'Bianca',
        lastName: 'Byers',
        emails: [{ address: 'margaret.thornton@acme.example' }],
      },
      B.token,
    );
    expect(summary(own)).toMatchObject({ status: 201 });
    bContactId = own.body.id;
    const ownCompany = await api.post(
      '/api/v1/companies',
      { name: 'Bluth Company' },
      B.token,
    );
    expect(summary(ownCompany)).toMatchObject({ status: 201 });
    bCompanyId = ownCompany.body.id;

    const contact = `/api/v1/contacts/${margaret.id}`;
    const company = `/api/v1/companies/${acme.id}`;
    const attempts: Array<[string, Promise<ApiResponse>]> = [
      [`GET ${contact}`, api.get(contact, B.token)],
      [`PATCH ${contact}`, api.patch(contact, { title: 'Spy' }, B.token)],
      [
        `PATCH ${contact} If-Match`,
        api.patch(contact, { title: 'Spy' }, B.token, {
          'if-match': `"${margaret.version}"`,
        }),
      ],
      [`DELETE ${contact}`, api.delete(contact, B.token)],
      [`POST ${contact}/restore`, api.post(`${contact}/restore`, {}, B.token)],
      [
        `GET ${contact}/interactions`,
        api.get(`${contact}/interactions`, B.token),
      ],
      [
        `POST ${contact}/interactions`,
        api.post(
          `${contact}/interactions`,
          { channel: 'note', subject: 'snooping' },
          B.token,
        ),
      ],
      [`GET ${contact}/export`, api.get(`${contact}/export`, B.token)],
      [`POST ${contact}/erase`, api.post(`${contact}/erase`, {}, B.token)],
      [
        `POST merge A's into B's`,
        api.post(
          `/api/v1/contacts/${bContactId}/merge`,
          { mergedId: margaret.id },
          B.token,
        ),
      ],
      [`GET ${company}`, api.get(company, B.token)],
      [`PATCH ${company}`, api.patch(company, { name: 'Mine now' }, B.token)],
      [`DELETE ${company}`, api.delete(company, B.token)],
      [`POST ${company}/restore`, api.post(`${company}/restore`, {}, B.token)],
    ];
    const statuses = Object.fromEntries(
      await Promise.all(
        attempts.map(
          async ([name, response]) => [name, (await response).status] as const,
        ),
      ),
    );
    expect(statuses).toEqual(
      Object.fromEntries(attempts.map(([name]) => [name, 404])),
    );
    // Nothing of A's changed.
    expect((await api.get(contact, A.token)).body).toMatchObject({
      version: margaret.version,
      title: 'Head of Procurement',
      deletedAt: null,
    });
    expect((await api.get(company, A.token)).body).toMatchObject({
      name: 'Acme Widgets',
      deletedAt: null,
    });
    expect(
      ids(await api.get(`${contact}/interactions?limit=100`, A.token)),
    ).toHaveLength(7);

    // A's company cannot be linked from B.
    expectProblem(
      await api.post(
        '/api/v1/contacts',
        { firstName: 'Bob', lastName: 'Loblaw', companyId: acme.id },
        B.token,
      ),
      400,
      ['companyId'],
    );

    expect(ids(await contactsOf('limit=100', B.token))).toEqual([bContactId]);
    expect(
      ids(await contactsOf('includeDeleted=true&limit=100', B.token)),
    ).toEqual([bContactId]);
    for (const q of ['Thornton', 'Globex', 'Anders', '5550100200']) {
      expect({
        q,
        ids: ids(await contactsOf(`q=${q}`, B.token)).filter(
          (id) => id !== bContactId,
        ),
      }).toEqual({ q, ids: [] });
    }
    expect(ids(await contactsOf(`companyId=${globex.id}`, B.token))).toEqual(
      [],
    );
    expect(
      ids(await api.get('/api/v1/companies?includeDeleted=true', B.token)),
    ).toEqual([bCompanyId]);
    expect((await api.get('/api/v1/custom-fields', B.token)).body).toEqual({
      data: [],
    });

    const want = {
      contacts: {
        total: 1,
        byLifecycleStage: { lead: 1, prospect: 0, customer: 0, churned: 0 },
      },
      companies: { total: 1 },
      interactions: {
        total: 0,
        byChannel: { call: 0, email: 0, meeting: 0, chat: 0, note: 0 },
      },
    };
    const bFigures = await eventually(
      () => analyticsOf(B.token),
      (r) => isDeepStrictEqual(figuresOf(r.body), want),
      CATCH_UP_MS,
    );
    expect(figuresOf(bFigures.body)).toEqual(want);
    // And A's figures are A's alone.
    expect(figuresOf((await analyticsOf(A.token)).body)).toEqual(
      expected.summary(),
    );
  });

  it('bad input: 400 problem+json naming the fields, never a 5xx', async () => {
    const post = (body: unknown) => api.post('/api/v1/contacts', body, A.token);
    expectProblem(
      await post({ firstName: 'Eve', emails: [{ address: 'not-an-email' }] }),
      400,
      ['emails.0.address'],
    );
    expectProblem(
      await post({ firstName: 'Eve', lifecycleStage: 'zombie' }),
      400,
      ['lifecycleStage'],
    );
    expectProblem(await post({ lastName: 'Nameless' }), 400, ['firstName']);
    expectProblem(
      await post({ firstName: 'Eve', phones: [{ number: 'call me maybe' }] }),
      400,
      ['phones.0.number'],
    );
    expectProblem(
      await post({
        firstName: 'Eve',
        companyId: '00000000-0000-4000-8000-000000000000',
      }),
      400,
      ['companyId'],
    );
    expectProblem(await post({ firstName: 'Eve', companyId: 'acme' }), 400, [
      'companyId',
    ]);
    expectProblem(
      await api.patch(
        `/api/v1/contacts/${margaret.id}`,
        { emails: [{ address: 'nope' }] },
        A.token,
      ),
      400,
      ['emails.0.address'],
    );
    expectProblem(
      await api.patch(
        `/api/v1/contacts/${margaret.id}`,
        { lifecycleStage: 'zombie' },
        A.token,
      ),
      400,
      ['lifecycleStage'],
    );
    expectProblem(
      await api.patch(
        `/api/v1/contacts/${margaret.id}`,
        { title: 'x' },
        A.token,
        { 'if-match': 'seven' },
      ),
      400,
      ['If-Match'],
    );
    expectProblem(
      await api.post('/api/v1/companies', { name: '' }, A.token),
      400,
      ['name'],
    );
    expectProblem(
      await api.post(
        `/api/v1/contacts/${margaret.id}/interactions`,
        { channel: 'fax' },
        A.token,
      ),
      400,
      ['channel'],
    );
    expectProblem(
      await api.post(
        `/api/v1/contacts/${margaret.id}/interactions`,
        { channel: 'note', occurredAt: 'yesterday' },
        A.token,
      ),
      400,
      ['occurredAt'],
    );
    expectProblem(
      await api.post(
        `/api/v1/contacts/${margaret.id}/merge`,
        { mergedId: 'someone' },
        A.token,
      ),
      400,
      ['mergedId'],
    );
    expectProblem(
      await api.post(
        `/api/v1/contacts/${margaret.id}/merge`,
        { mergedId: margaret.id },
        A.token,
      ),
      400,
      ['mergedId'],
    );

    // Malformed ids in the path.
    expectProblem(await api.get('/api/v1/contacts/not-a-uuid', A.token), 400, [
      'id',
    ]);
    expectProblem(
      await api.patch('/api/v1/contacts/123', { title: 'x' }, A.token),
      400,
      ['id'],
    );
    expectProblem(await api.delete('/api/v1/companies/123', A.token), 400, [
      'id',
    ]);
    expectProblem(
      await api.get('/api/v1/contacts/not-a-uuid/interactions', A.token),
      400,
      ['contactId'],
    );
    expectProblem(
      await api.get('/api/v1/contacts/not-a-uuid/export', A.token),
      400,
      ['id'],
    );

    // Query strings.
    expectProblem(await contactsOf('cursor=garbage'), 400, ['cursor']);
    const page = await contactsOf('sort=lastName&limit=2');
    expectProblem(
      await contactsOf(
        `sort=-createdAt&limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`,
      ),
      400,
      ['cursor'],
    );
    expectProblem(
      await api.get('/api/v1/companies?cursor=garbage', A.token),
      400,
      ['cursor'],
    );
    expectProblem(
      await api.get(
        `/api/v1/contacts/${margaret.id}/interactions?cursor=garbage`,
        A.token,
      ),
      400,
      ['cursor'],
    );
    expectProblem(await contactsOf('lifecycleStage=zombie'), 400, [
      'lifecycleStage',
    ]);
    expectProblem(await contactsOf('updatedSince=yesterday'), 400, [
      'updatedSince',
    ]);
    expectProblem(await contactsOf('companyId=acme'), 400, ['companyId']);
    expectProblem(await contactsOf('limit=1000'), 400, ['limit']);
    expectProblem(await contactsOf('sort=shoeSize'), 400, ['sort']);
    expectProblem(
      await api.get('/api/v1/analytics/summary?windowDays=0', A.token),
      400,
      ['windowDays'],
    );

    // Not JSON at all.
    const malformed = await api.request('POST', '/api/v1/contacts', {
      token: A.token,
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const broken = await fetch(`${system.url('api-gateway')}/api/v1/contacts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${A.token}`,
      },
      body: '{"firstName": ',
    });
    api.exchanges.push({
      method: 'POST',
      path: '/api/v1/contacts (malformed JSON)',
      status: broken.status,
      body: await broken.text(),
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
  });

  it('bad input the services must refuse rather than fail on: NUL characters, tampered cursors', async () => {
    // A cursor is opaque, but a client can still send anything: a tampered one is a bad cursor.
    const forged = (sort: string, key: unknown) =>
      encodeURIComponent(
        Buffer.from(
          JSON.stringify([sort, key, '00000000-0000-4000-8000-000000000000']),
        ).toString('base64url'),
      );
    const timeline = `/api/v1/contacts/${margaret.id}/interactions`;
    // [what, response, the field the 400 must name]
    const cases: Array<[string, Promise<ApiResponse>, string]> = [
      // Postgres text cannot hold U+0000: refused as invalid input, naming the field.
      ['NUL in q', contactsOf('q=%00'), 'q'],
      ['NUL after a name in q', contactsOf('q=Thornton%00'), 'q'],
      ['NUL in tag', contactsOf('tag=%00'), 'tag'],
      [
        'NUL in firstName',
        api.post('/api/v1/contacts', { firstName: 'Nul\u0000' }, A.token),
        'firstName',
      ],
      [
        'NUL in a note',
        api.post(timeline, { channel: 'note', body: 'a\u0000b' }, A.token),
        'body',
      ],
      [
        'cursor with a bad time',
        contactsOf(`cursor=${forged('-updatedAt', 'not-a-date')}`),
        'cursor',
      ],
      [
        'search cursor with a bad score',
        contactsOf(`q=Thornton&cursor=${forged('relevance:thornton', 'abc')}`),
        'cursor',
      ],
      [
        'timeline cursor with a bad time',
        api.get(
          `${timeline}?cursor=${forged('-occurredAt', 'garbage')}`,
          A.token,
        ),
        'cursor',
      ],
    ];
    const outcomes = await Promise.all(
      cases.map(async ([what, response, field]) => {
        const { status, body } = await response;
        const named = ((body?.errors ?? []) as { field: string }[]).some(
          (e) => e.field === field,
        );
        return [what, { status, named }] as const;
      }),
    );
    expect(Object.fromEntries(outcomes)).toEqual(
      Object.fromEntries(
        cases.map(([what]) => [what, { status: 400, named: true }]),
      ),
    );
  });

  it('a viewer reads everything but gets 403 on every write', async () => {
    const reads = [
      '/api/v1/contacts',
      `/api/v1/contacts/${margaret.id}`,
      `/api/v1/contacts/${margaret.id}/interactions`,
      '/api/v1/companies',
      `/api/v1/companies/${acme.id}`,
      '/api/v1/custom-fields',
      '/api/v1/analytics/summary',
    ];
    const readStatuses = Object.fromEntries(
      await Promise.all(
        reads.map(
          async (path) =>
            [path, (await api.get(path, viewerToken)).status] as const,
        ),
      ),
    );
    expect(readStatuses).toEqual(
      Object.fromEntries(reads.map((path) => [path, 200])),
    );
    expect(ids(await contactsOf('q=Thornton', viewerToken))).toContain(
      margaret.id,
    );

    const contact = `/api/v1/contacts/${margaret.id}`;
    const writes: Array<[string, () => Promise<ApiResponse>]> = [
      [
        'POST /contacts',
        () => api.post('/api/v1/contacts', { firstName: 'Vic' }, viewerToken),
      ],
      [
        'PATCH contact',
        () => api.patch(contact, { title: 'Viewer was here' }, viewerToken),
      ],
      ['DELETE contact', () => api.delete(contact, viewerToken)],
      ['POST restore', () => api.post(`${contact}/restore`, {}, viewerToken)],
      [
        'POST merge',
        () =>
          api.post(`${contact}/merge`, { mergedId: batch[0].id }, viewerToken),
      ],
      [
        'POST interaction',
        () =>
          api.post(`${contact}/interactions`, { channel: 'note' }, viewerToken),
      ],
      ['POST erase', () => api.post(`${contact}/erase`, {}, viewerToken)],
      [
        'POST /companies',
        () =>
          api.post('/api/v1/companies', { name: 'Viewer Inc' }, viewerToken),
      ],
      [
        'PATCH company',
        () =>
          api.patch(
            `/api/v1/companies/${acme.id}`,
            { name: 'Viewer Inc' },
            viewerToken,
          ),
      ],
      [
        'DELETE company',
        () => api.delete(`/api/v1/companies/${acme.id}`, viewerToken),
      ],
      [
        'POST /custom-fields',
        () =>
          api.post(
            '/api/v1/custom-fields',
            { entity: 'contact', key: 'mood', label: 'Mood', type: 'text' },
            viewerToken,
          ),
      ],
      [
        'POST /users',
        () =>
          api.post(
            '/api/v1/users',
            {
              email: `x-${system.run}@example.test`,
              name: 'X',
              password: PASSWORD,
              roles: ['admin'],
            },
            viewerToken,
          ),
      ],
    ];
    const writeResponses = await Promise.all(
      writes.map(async ([name, send]) => [name, await send()] as const),
    );
    expect(
      Object.fromEntries(writeResponses.map(([name, r]) => [name, r.status])),
    ).toEqual(Object.fromEntries(writes.map(([name]) => [name, 403])));
    for (const [, response] of writeResponses) expectProblem(response, 403);
    expect((await api.get(contact, A.token)).body).toMatchObject({
      version: margaret.version,
      deletedAt: null,
    });
  });

  it('answered no request with a 5xx', () => {
    expect(api.exchanges.length).toBeGreaterThan(100);
    expect(api.serverErrors()).toEqual([]);
  });
});
