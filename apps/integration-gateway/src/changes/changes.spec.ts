import { randomUUID } from 'node:crypto';
import { contactCreated, contactErased, contactUpdated, dealWon } from '@crm/contracts';
import { testEnvelope } from '@crm/testing';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { contactOf, wonDealOf } from '../testing/event-builders';
import type { ChangeCloudEvent } from './cloud-event';
import { FEED_EVENTS } from './feed-events';
import { ChangeEventsHandler, HANDLED_ELSEWHERE } from './record-changes/change-events.handler';

interface Page {
  data: ChangeCloudEvent[];
  nextCursor: string;
  hasMore: boolean;
}

/** GET /erp/v1/changes: the tenant's CRM events in order, by scope, resumable, long-polled, scrubbed on erasure. */
describe('the change feed', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  const read = async (client: ReturnType<IntegrationGatewayTestContext['newClient']>, query = '') => {
    const response = await ctx.request(client, 'GET', `/erp/v1/changes${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('gives the events in order as CloudEvents, resumes from a cursor, and shows no other tenant', async () => {
    const client = ctx.newClient();
    const contacts = [contactOf(), contactOf({ firstName: 'Grace' }), contactOf({ firstName: 'Edsger' })];
    await ctx.bus.deliver(...contacts.map((contact) => testEnvelope(contactCreated, { contact }, { tenantId: client.tenantId, subject: contact.id })));
    const other = contactOf();
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact: other }, { tenantId: randomUUID(), subject: other.id }));

    const first = await read(client, '?limit=2');
    expect(first.data.map((e) => e.subject)).toEqual([contacts[0].id, contacts[1].id]);
    expect(first.hasMore).toBe(true);
    expect(first.data[0]).toEqual({
      specversion: '1.0',
      id: expect.any(String),
      source: 'crm/contacts',
      type: 'contacts.contact.created.v1',
      subject: contacts[0].id,
      time: expect.any(String),
      datacontenttype: 'application/json',
      sequence: expect.any(String),
      data: { contact: contacts[0] },
    });
    const rest = await read(client, `?after=${first.nextCursor}`);
    expect(rest.data.map((e) => e.subject)).toEqual([contacts[2].id]);
    expect(rest.hasMore).toBe(false);
    // From any event's sequence, and nothing after the end (the cursor stays).
    expect((await read(client, `?after=${first.data[0].sequence}`)).data.map((e) => e.subject)).toEqual([contacts[1].id, contacts[2].id]);
    const end = await read(client, `?after=${rest.nextCursor}`);
    expect(end).toEqual({ data: [], nextCursor: rest.nextCursor, hasMore: false });
  });

  it('shows only the types the client asks for and its scopes allow', async () => {
    const client = ctx.newClient({ scopes: ['changes:read', 'contacts:read'] });
    const contact = contactOf();
    const deal = wonDealOf({ contactId: contact.id });
    await ctx.bus.deliver(
      testEnvelope(contactCreated, { contact }, { tenantId: client.tenantId, subject: contact.id }),
      testEnvelope(dealWon, { deal }, { tenantId: client.tenantId, subject: deal.id }),
      testEnvelope(contactUpdated, { contact: { ...contact, version: 2 }, changed: ['title'] }, { tenantId: client.tenantId, subject: contact.id }),
    );
    expect((await read(client)).data.map((e) => e.type)).toEqual(['contacts.contact.created.v1', 'contacts.contact.updated.v1']);
    expect((await read(client, '?types=contacts.contact.updated.v1')).data.map((e) => e.type)).toEqual(['contacts.contact.updated.v1']);
    expect((await ctx.request(client, 'GET', '/erp/v1/changes?types=sales-automation.deal.won.v1')).status).toBe(403);
    expect((await ctx.request(client, 'GET', '/erp/v1/changes?types=no.such.event.v1')).status).toBe(400);

    const sales = ctx.newClient({ tenantId: client.tenantId, scopes: ['changes:read', 'deals:write'] });
    const seen = (await read(sales)).data.map((e) => e.type);
    expect(seen).toContain('sales-automation.deal.won.v1');
    expect(seen).not.toContain('contacts.contact.created.v1');
    expect((await ctx.request(ctx.newClient({ scopes: ['contacts:read'] }), 'GET', '/erp/v1/changes')).status).toBe(403);
  });

  it('refuses a forged cursor and bad paging', async () => {
    const client = ctx.newClient();
    for (const query of ['?after=bm90LWEtbnVtYmVy', '?after=%20', '?limit=0', '?limit=5000', '?wait=31']) {
      const response = await ctx.request(client, 'GET', `/erp/v1/changes${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });

  it('holds a long poll until the next change of the tenant arrives', async () => {
    const client = ctx.newClient();
    const start = await read(client);
    const polling = read(client, `?after=${start.nextCursor}&wait=20`);
    // Another tenant's change does not wake it with anything.
    const stranger = contactOf();
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact: stranger }, { tenantId: randomUUID(), subject: stranger.id }));
    const contact = contactOf();
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact }, { tenantId: client.tenantId, subject: contact.id }));
    expect((await polling).data.map((e) => e.subject)).toEqual([contact.id]);
  });

  it("keeps an erased person's events without their personal data, and carries the erasure itself", async () => {
    const client = ctx.newClient();
    const contact = contactOf({ firstName: 'Secret', emails: [{ address: 'secret@example.com', primary: true }] });
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact }, { tenantId: client.tenantId, subject: contact.id }));
    await ctx.bus.deliver(testEnvelope(contactErased, { contactId: contact.id, erasedAt: new Date().toISOString() }, { tenantId: client.tenantId, subject: contact.id }));
    const { data } = await read(client);
    expect(data.map((e) => e.type)).toEqual(['contacts.contact.created.v1', 'contacts.contact.erased.v1']);
    expect(JSON.stringify(data)).not.toMatch(/Secret|secret@example\.com/);
    expect(data[0].data).toEqual({ contact: expect.objectContaining({ id: contact.id, version: 1 }) });
  });
});

describe('the feed intake', () => {
  it('has exactly one handler per event type (the merged, erased and won events are handled where they do more)', () => {
    const patterns = FEED_EVENTS.map((c) => c.name);
    const own = Object.getOwnPropertyNames(ChangeEventsHandler.prototype).filter((name) => name.startsWith('on:')).map((name) => name.slice(3));
    expect([...own, ...HANDLED_ELSEWHERE].sort()).toEqual([...patterns].sort());
    expect(own.filter((name) => HANDLED_ELSEWHERE.has(name))).toEqual([]);
  });
});
