import { randomUUID } from 'node:crypto';
import { type Contact, contactCreated, contactErased, contactUpdated, productDeleted } from '@crm/contracts';
import type { ErpClient } from '../erp-auth/erp-client';
import { testEnvelope } from '@crm/testing';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';

function contactOf(id: string): Contact {
  const at = new Date().toISOString();
  return {
    id,
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: 'Countess',
    emails: [{ address: 'ada@example.com', primary: true }],
    phones: [],
    addresses: [],
    companyId: null,
    ownerId: null,
    tags: [],
    lifecycleStage: 'lead',
    customFields: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  } as Contact;
}

interface Page {
  data: { specversion: string; id: string; source: string; type: string; subject?: string; time: string; datacontenttype: string; data: unknown }[];
  next: string;
}

/** The change feed: every domain event of the services, per tenant, in order, as CloudEvents. */
describe('change feed (GET /erp/v1/changes)', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  const get = async (client: ErpClient, query = ''): Promise<{ status: number; body: Page }> => {
    const response = await ctx.request(client, 'GET', `/erp/v1/changes${query}`);
    return { status: response.status, body: (await response.json()) as Page };
  };

  it('gives the changes in order as CloudEvents, resumes after a cursor, and scrubs an erased contact', async () => {
    const client = ctx.newClient();
    const [a, b] = [randomUUID(), randomUUID()];
    const created = testEnvelope(contactCreated, { contact: contactOf(a) }, { tenantId: client.tenantId, subject: a });
    await ctx.bus.deliver(created, testEnvelope(contactCreated, { contact: contactOf(b) }, { tenantId: client.tenantId, subject: b }));
    await ctx.bus.deliver(testEnvelope(contactUpdated, { contact: { ...contactOf(a), version: 2 }, changed: ['title'] }, { tenantId: client.tenantId, subject: a }));

    const first = await get(client, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((e) => [e.type, e.subject])).toEqual([
      [contactCreated.name, a],
      [contactCreated.name, b],
    ]);
    expect(first.body.data[0]).toEqual({
      specversion: '1.0',
      id: created.id,
      source: 'crm/contacts',
      type: contactCreated.name,
      subject: a,
      time: created.time,
      datacontenttype: 'application/json',
      data: created.data,
    });
    const second = await get(client, `?after=${first.body.next}`);
    expect(second.body.data.map((e) => e.type)).toEqual([contactUpdated.name]);
    const empty = await get(client, `?after=${second.body.next}`);
    expect(empty.body).toEqual({ data: [], next: second.body.next });

    // Erasure: the contact's earlier entries keep their ids only; the erasure itself is in the feed.
    await ctx.bus.deliver(testEnvelope(contactErased, { contactId: a, erasedAt: new Date().toISOString() }, { tenantId: client.tenantId, subject: a }));
    const all = await get(client);
    expect(all.body.data.map((e) => [e.type, e.subject])).toEqual([
      [contactCreated.name, a],
      [contactCreated.name, b],
      [contactUpdated.name, a],
      [contactErased.name, a],
    ]);
    expect(JSON.stringify(all.body.data.filter((e) => e.subject === a))).not.toMatch(/Ada|Lovelace|ada@example/);
    expect(all.body.data[0].data).toEqual({ contactId: a, erased: true });
    expect(JSON.stringify(all.body.data[1].data)).toMatch(/Lovelace/);
  });

  it('filters by types and by what the client may see, and keeps tenants apart', async () => {
    const tenantId = randomUUID();
    const contactId = randomUUID();
    const productId = randomUUID();
    await ctx.bus.deliver(
      testEnvelope(contactCreated, { contact: contactOf(contactId) }, { tenantId, subject: contactId }),
      testEnvelope(productDeleted, { productId, deletedAt: new Date().toISOString() }, { tenantId, subject: productId }),
    );
    const everything = ctx.newClient({ tenantId });
    expect((await get(everything)).body.data.map((e) => e.type)).toEqual([contactCreated.name, productDeleted.name]);
    expect((await get(everything, '?types=sales-automation.product.*')).body.data.map((e) => e.type)).toEqual([productDeleted.name]);
    expect((await get(everything, `?types=${contactCreated.name},x.y.z.v1`)).body.data.map((e) => e.type)).toEqual([contactCreated.name]);

    // contacts:read only: no product changes, even when asked for.
    const contactsOnly = ctx.newClient({ tenantId, scopes: ['changes:read', 'contacts:read'] });
    expect((await get(contactsOnly)).body.data.map((e) => e.type)).toEqual([contactCreated.name]);
    expect((await get(contactsOnly, '?types=sales-automation.product.*')).body.data).toEqual([]);
    // No changes:read: refused.
    expect((await ctx.request(ctx.newClient({ tenantId, scopes: ['contacts:read'] }), 'GET', '/erp/v1/changes')).status).toBe(403);

    // Another tenant sees none of it, and cannot use this tenant's cursor.
    const other = ctx.newClient();
    expect((await get(other)).body.data).toEqual([]);
    const cursor = (await get(everything, '?limit=1')).body.next;
    expect((await get(other, `?after=${cursor}`)).status).toBe(400);
  });

  it('refuses a tampered cursor (400)', async () => {
    const client = ctx.newClient();
    await ctx.bus.deliver(testEnvelope(productDeleted, { productId: randomUUID(), deletedAt: new Date().toISOString() }, { tenantId: client.tenantId, subject: randomUUID() }));
    const { next } = (await get(client)).body;
    const [version, seq, signature] = Buffer.from(next, 'base64url').toString().split('.');
    const earlier = Buffer.from(`${version}.${BigInt(seq) - 1n}.${signature}`).toString('base64url');
    expect((await get(client, `?after=${earlier}`)).status).toBe(400);
    expect((await get(client, '?after=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await get(client, `?after=${next}`)).status).toBe(200);
  });

  it('holds a long poll until a change of its tenant arrives', async () => {
    const client = ctx.newClient();
    const { next } = (await get(client)).body;
    const polling = get(client, `?after=${next}&wait=30`);
    // Another tenant's change does not end it; this tenant's does.
    await ctx.bus.deliver(testEnvelope(productDeleted, { productId: randomUUID(), deletedAt: new Date().toISOString() }, { tenantId: randomUUID(), subject: randomUUID() }));
    const productId = randomUUID();
    await ctx.bus.publish(testEnvelope(productDeleted, { productId, deletedAt: new Date().toISOString() }, { tenantId: client.tenantId, subject: productId }));
    // Well before the 30 s the poll would wait without a notification (the spec's own timeout is 20 s).
    const page = await polling;
    expect(page.body.data.map((e) => e.subject)).toEqual([productId]);
  }, 20_000);
});
