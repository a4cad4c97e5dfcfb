import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contactCreated, contactErased, type Contact, integrationGatewayWebhookDisabled, productDeleted } from '@crm/contracts';
import { Webhook } from 'standardwebhooks';
import { testEnvelope } from '@crm/testing';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { WebhookSender } from './webhook-sender';

/** A real HTTP server standing in for an ERP's webhook endpoint; it can go down and come back on the same port. */
class Receiver {
  readonly received: { headers: Record<string, string>; body: string }[] = [];
  private server?: http.Server;
  port = 0;

  async open(): Promise<this> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }
}

/** Polls until `check` returns a value (a state the service reaches asynchronously), failing with `what` if it never does. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

function contactOf(id: string): Contact {
  const at = new Date().toISOString();
  return {
    id,
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: null,
    emails: [],
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
  } as unknown as Contact;
}

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  calls: { attempt: number; statusCode: number | null; error: string | null }[];
}

describe('webhooks (/erp/v1/webhooks)', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start({
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '0.2,0.3,0.3,0.5,0.5,1,1,1',
      WEBHOOK_DISPATCH_POLL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
  });
  afterAll(() => ctx?.close());

  const subscribe = async (client = ctx.newClient(), url: string, eventTypes = ['contacts.contact.*']) => {
    const response = await ctx.request(client, 'POST', '/erp/v1/webhooks', { url, eventTypes });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; secret: string; status: string };
    return { client, ...body };
  };
  const deliveries = async (client: ReturnType<typeof ctx.newClient>, id: string) =>
    ((await (await ctx.request(client, 'GET', `/erp/v1/webhooks/${id}/deliveries`)).json()) as { data: Delivery[] }).data;

  it('delivers a matching change signed per Standard Webhooks, logs it, and replays it', async () => {
    const receiver = await new Receiver().open();
    try {
      const sub = await subscribe(undefined, receiver.url);
      expect(sub.secret).toMatch(/^whsec_/);
      // The secret is shown once: a read does not give it.
      const read = (await (await ctx.request(sub.client, 'GET', `/erp/v1/webhooks/${sub.id}`)).json()) as Record<string, unknown>;
      expect(read).toMatchObject({ id: sub.id, url: receiver.url, eventTypes: ['contacts.contact.*'], status: 'active' });
      expect(read).not.toHaveProperty('secret');

      const contactId = randomUUID();
      const event = testEnvelope(contactCreated, { contact: contactOf(contactId) }, { tenantId: sub.client.tenantId, subject: contactId });
      // Not asked for (a product), and another tenant's contact: neither is sent.
      await ctx.bus.deliver(
        testEnvelope(productDeleted, { productId: randomUUID(), deletedAt: new Date().toISOString() }, { tenantId: sub.client.tenantId, subject: randomUUID() }),
        testEnvelope(contactCreated, { contact: contactOf(randomUUID()) }, { tenantId: randomUUID(), subject: randomUUID() }),
        event,
      );
      await until('the receiver gets the change', async () => receiver.received.length > 0);
      const [call] = receiver.received;
      const payload = new Webhook(sub.secret).verify(call.body, call.headers) as { id: string; type: string; subject: string; data: unknown };
      expect(payload).toMatchObject({ specversion: '1.0', id: event.id, type: contactCreated.name, subject: contactId, data: event.data });
      // A receiver holding another secret does not accept it.
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(call.body, call.headers)).toThrow();

      const [logged] = await until('the delivery is logged delivered', async () => {
        const list = await deliveries(sub.client, sub.id);
        return list.length === 1 && list[0].status === 'delivered' && list;
      });
      expect(logged).toMatchObject({ eventId: event.id, attempts: 1, lastStatusCode: 204, calls: [{ attempt: 1, statusCode: 204, error: null }] });
      expect(call.headers['webhook-id']).toBe(logged.id);

      // Replay one delivery: sent again, same webhook-id (receivers deduplicate on it).
      const replay = await ctx.request(sub.client, 'POST', `/erp/v1/webhooks/${sub.id}/deliveries/${logged.id}/replay`);
      expect(replay.status).toBe(202);
      await until('the replay arrives', async () => receiver.received.length === 2);
      expect(receiver.received[1].headers['webhook-id']).toBe(logged.id);

      // Replay a time range: every matching change recorded in it.
      const range = await ctx.request(sub.client, 'POST', `/erp/v1/webhooks/${sub.id}/replay`, {
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      });
      expect(await range.json()).toEqual({ replayed: 1 });
      await until('the range replay arrives', async () => receiver.received.length === 3);

      // Another tenant cannot see or replay it.
      const stranger = ctx.newClient();
      expect((await ctx.request(stranger, 'GET', `/erp/v1/webhooks/${sub.id}/deliveries`)).status).toBe(404);
      expect((await ctx.request(ctx.newClient({ scopes: ['changes:read'] }), 'GET', '/erp/v1/webhooks')).status).toBe(403);
    } finally {
      await receiver.close();
    }
  });

  it('retries while the receiver is down and delivers once it is back', async () => {
    const receiver = await new Receiver().open();
    await receiver.close();
    const sub = await subscribe(undefined, receiver.url);
    const contactId = randomUUID();
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact: contactOf(contactId) }, { tenantId: sub.client.tenantId, subject: contactId }));
    const [failing] = await until('a call fails', async () => {
      const list = await deliveries(sub.client, sub.id);
      return list.length === 1 && list[0].attempts >= 1 && list;
    });
    expect(failing).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(failing.calls[0].error).toBeTruthy();
    await receiver.open();
    try {
      const [delivered] = await until('delivered once back', async () => {
        const list = await deliveries(sub.client, sub.id);
        return list[0]?.status === 'delivered' && list;
      });
      expect(delivered.attempts).toBeGreaterThanOrEqual(2);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('sends a pending delivery of an erased contact without its personal data', async () => {
    const receiver = await new Receiver().open();
    await receiver.close();
    const sub = await subscribe(undefined, receiver.url, ['contacts.contact.created.v1']);
    const contactId = randomUUID();
    const created = testEnvelope(contactCreated, { contact: contactOf(contactId) }, { tenantId: sub.client.tenantId, subject: contactId });
    await ctx.bus.deliver(created);
    await until('a call fails', async () => (await deliveries(sub.client, sub.id))[0]?.attempts >= 1);
    await ctx.bus.deliver(testEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, { tenantId: sub.client.tenantId, subject: contactId }));
    await receiver.open();
    try {
      await until('delivered once back', async () => receiver.received.length > 0);
      const payload = new Webhook(sub.secret).verify(receiver.received[0].body, receiver.received[0].headers) as { id: string; data: unknown };
      expect(payload).toMatchObject({ id: created.id, data: { contactId, erased: true } });
      expect(receiver.received[0].body).not.toMatch(/Ada|Lovelace/);
    } finally {
      await receiver.close();
    }
  });

  it('disables a subscription whose deliveries keep failing, and publishes integration-gateway.webhook.disabled.v1', async () => {
    const receiver = await new Receiver().open();
    await receiver.close();
    const sub = await subscribe(undefined, receiver.url);
    await ctx.bus.deliver(testEnvelope(contactCreated, { contact: contactOf(randomUUID()) }, { tenantId: sub.client.tenantId, subject: randomUUID() }));
    const disabled = await until('the subscription is disabled', async () => {
      const body = (await (await ctx.request(sub.client, 'GET', `/erp/v1/webhooks/${sub.id}`)).json()) as { status: string; disabledReason: string };
      return body.status === 'disabled' && body;
    });
    expect(disabled.disabledReason).toMatch(/failed 9 times/);
    const [delivery] = await deliveries(sub.client, sub.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 9 });
    const published = await ctx.database
      .selectFrom('outbox_message')
      .select(['type', 'tenant_id', 'subject'])
      .where('type', '=', integrationGatewayWebhookDisabled.name)
      .where('subject', '=', sub.id)
      .execute();
    expect(published).toEqual([{ type: integrationGatewayWebhookDisabled.name, tenant_id: sub.client.tenantId, subject: sub.id }]);
  }, 60_000);
});

describe('webhooks: SSRF (WEBHOOK_ALLOW_PRIVATE_TARGETS off)', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
  });
  afterAll(() => ctx?.close());

  it.each(['http://127.0.0.1/hooks', 'http://10.1.2.3/hooks', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hooks', 'http://[fd00::1]/', 'http://localhost:8080/'])(
    'refuses to subscribe %s',
    async (url) => {
      const response = await ctx.request(ctx.newClient(), 'POST', '/erp/v1/webhooks', { url, eventTypes: ['contacts.contact.*'] });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/webhook URL refused/);
    },
  );

  it('refuses to connect to a private address at call time too (a name that resolved elsewhere at subscribe time)', async () => {
    const receiver = await new Receiver().open();
    try {
      const result = await ctx.service.app.get(WebhookSender).send({ url: `http://localhost:${receiver.port}/hooks`, secret: `whsec_${Buffer.alloc(32, 2).toString('base64')}` }, randomUUID(), '{}');
      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toMatch(/not allowed|private|DNS lookup/i);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a client whose scopes do not cover the types asked for', async () => {
    const client = ctx.newClient({ scopes: ['webhooks:manage', 'contacts:read'] });
    const response = await ctx.request(client, 'POST', '/erp/v1/webhooks', { url: 'https://example.com/hooks', eventTypes: ['sales-automation.order.*'] });
    expect(response.status).toBe(403);
  });
});
