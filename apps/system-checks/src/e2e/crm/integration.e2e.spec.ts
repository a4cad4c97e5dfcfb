import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { eventually, expectProblem, Json, summary } from '../api-client';
import { created, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { INTEGRATION_URL_VARIABLE } from './support/shared-system';

/** Events cross the bus and the gateway's jobs poll: bounded waits, never assertions on time. */
const WAIT_MS = 120_000;
const SYSTEM = 'sap-e2e';
const ROWS = 10_000;
const ALL_SCOPES = [
  'contacts:read',
  'contacts:write',
  'companies:write',
  'products:write',
  'orders:write',
  'deals:write',
  'changes:read',
  'webhooks:manage',
  'sync-log:read',
];

interface Erp {
  status: number;
  body: Json;
}

/**
 * An ERP system through its own door (issue 13): an admin creates its API client through the API
 * gateway, the ERP gets a token by client credentials, bulk-upserts 10,000 contacts from CSV
 * (again: all unchanged), upserts one by external id, sends an order that lands on the contact's
 * timeline, receives the won deal's sales-order request as a signed webhook and acknowledges it
 * with its order number; scopes and tenants hold.
 */
describe('integration gateway: an ERP system end to end (e2e)', () => {
  const { api, run } = sharedSystem();
  const erpUrl = process.env[INTEGRATION_URL_VARIABLE] ?? '';
  let A: Tenant;
  let B: Tenant;
  let token: string;

  /** A call to the integration gateway (plain fetch: its own OpenAPI document is checked by its own spec). */
  async function erp(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; contentType?: string } = {}): Promise<Erp> {
    const response = await fetch(`${erpUrl}${path}`, {
      method,
      headers: {
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...((options.body !== undefined || options.raw !== undefined) && { 'content-type': options.contentType ?? 'application/json' }),
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status >= 500) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 2000)}`);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** An API client of `tenant` with `scopes`, made by its admin through the API gateway, and an access token for it. */
  async function erpClient(tenant: Tenant, scopes: string[]): Promise<string> {
    const client = await created(api.post('/api/v1/integrations/clients', { name: `ERP ${run}`, scopes }, tenant.token));
    expect(client.secret).toMatch(/^crm_sk_/);
    const grant = await erp('POST', '/oauth/token', {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(grant).toMatchObject({ status: 200, body: { token_type: 'Bearer', access_token: expect.any(String) } });
    return grant.body.access_token;
  }

  async function bulkUpsert(csv: string): Promise<Json> {
    const job = await erp('POST', '/erp/v1/jobs', {
      token,
      body: {
        object: 'contacts',
        operation: 'upsert',
        system: SYSTEM,
        externalIdField: 'id',
        contentType: 'text/csv',
        columnMapping: { id: '', email: 'emails.0.address' },
      },
    });
    expect(job.status).toBe(201);
    expect((await erp('PUT', `/erp/v1/jobs/${job.body.id}/data`, { token, raw: csv, contentType: 'text/csv' })).status).toBeLessThan(300);
    expect((await erp('PATCH', `/erp/v1/jobs/${job.body.id}`, { token, body: { state: 'upload_complete' } })).status).toBe(200);
    const done = await eventually(
      () => erp('GET', `/erp/v1/jobs/${job.body.id}`, { token }),
      (read) => ['job_complete', 'failed', 'aborted'].includes(read.body?.state),
      WAIT_MS,
    );
    return done.body;
  }

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'erp-a');
    B = await signUpTenant(api, run, 'erp-b');
    token = await erpClient(A, ALL_SCOPES);
  });

  it('bulk-upserts 10,000 contacts from CSV; the same file again changes nothing', async () => {
    const lines = ['id,firstName,lastName,email'];
    for (let i = 0; i < ROWS; i++) lines.push(`E-${i},Person${i},Erp${i % 97},person${i}.${run}@example.test`);
    const csv = `${lines.join('\n')}\n`;

    const first = await bulkUpsert(csv);
    expect(first).toMatchObject({ state: 'job_complete', rowsProcessed: ROWS, rowsCreated: ROWS, rowsFailed: 0 });
    const second = await bulkUpsert(csv);
    expect(second).toMatchObject({ state: 'job_complete', rowsProcessed: ROWS, rowsUnchanged: ROWS, rowsCreated: 0, rowsUpdated: 0 });

    const one = await erp('GET', `/erp/v1/contacts/${SYSTEM}/E-4242`, { token });
    expect(one).toMatchObject({
      status: 200,
      body: { firstName: 'Person4242', emails: [expect.objectContaining({ address: `person4242.${run}@example.test` })] },
    });
    const viaGateway = await api.get(`/api/v1/contacts/${one.body.id}`, A.token);
    expect(summary(viaGateway)).toMatchObject({ status: 200, body: { lastName: `Erp${4242 % 97}` } });
  }, 600_000);

  it('upserts one contact by its external id: created, updated, unchanged', async () => {
    const path = `/erp/v1/contacts/${SYSTEM}/ONE-1`;
    expect(await erp('PUT', path, { token, body: { firstName: 'Ada', lastName: 'Lovelace' } })).toMatchObject({ status: 201, body: { outcome: 'created' } });
    expect(await erp('PUT', path, { token, body: { title: 'Countess' } })).toMatchObject({ status: 200, body: { outcome: 'updated' } });
    expect(await erp('PUT', path, { token, body: { title: 'Countess' } })).toMatchObject({ status: 200, body: { outcome: 'unchanged' } });
    const bad = await erp('PUT', `/erp/v1/contacts/${SYSTEM}/ONE-2`, { token, body: { lastName: 'No first name' } });
    expect(bad.status).toBe(400);
  });

  it("puts an ERP order on the contact's timeline", async () => {
    const customer = await erp('PUT', `/erp/v1/contacts/${SYSTEM}/BUYER-1`, { token, body: { firstName: 'Grace', lastName: 'Hopper' } });
    const order = await erp('PUT', `/erp/v1/orders/${SYSTEM}/SO-1`, {
      token,
      body: {
        customerExternalId: 'BUYER-1',
        currency: 'EUR',
        purchasedAt: '2026-12-01T10:00:00Z',
        lines: [{ name: 'COBOL manual', quantity: 2, unitPriceMinor: 25_00 }],
      },
    });
    expect(order).toMatchObject({ status: 201, body: { outcome: 'created' } });
    const timeline = await eventually(
      () => api.get(`/api/v1/contacts/${customer.body.id}/activities`, A.token),
      (page) => page.status === 200 && page.body.data.some((a: Json) => a.kind === 'order'),
      WAIT_MS,
    );
    expect(timeline.body.data).toEqual([expect.objectContaining({ kind: 'order', id: order.body.id, amountMinor: 50_00, currency: 'EUR' })]);
  }, 300_000);

  describe('a won deal', () => {
    let receiver: Server;
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it("reaches the ERP's webhook signed, and the ERP's order number lands on the deal", async () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const subscription = await erp('POST', '/erp/v1/webhooks', { token, body: { url, eventTypes: ['integration-gateway.sales-order.requested.v1'] } });
      expect(subscription.status).toBe(201);
      const secret: string = subscription.body.secret;

      await created(api.post('/api/v1/pipelines', { name: 'Sales', stages: [{ name: 'Proposal', winProbability: 50 }] }, A.token));
      const deal = await created(api.post('/api/v1/deals', { title: 'Fleet of rovers', currency: 'EUR', amountMinor: 90_000_00 }, A.token));
      expect(summary(await api.post(`/api/v1/deals/${deal.id}/won`, {}, A.token))).toMatchObject({ status: 200 });

      await eventually(
        async () => received.length,
        (count) => count > 0,
        WAIT_MS,
      );
      const [delivery] = received;
      const event = new Webhook(secret).verify(delivery.body, {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      }) as Json;
      expect(event).toMatchObject({ type: 'integration-gateway.sales-order.requested.v1', data: { dealId: deal.id, amountMinor: 90_000_00, currency: 'EUR' } });
      // A forged body fails the same check.
      expect(() => new Webhook(secret).verify(delivery.body.replace('EUR', 'USD'), delivery.headers as Record<string, string>)).toThrow();

      const ack = await erp('POST', `/erp/v1/deals/${deal.id}/erp-order`, { token, body: { system: SYSTEM, orderNumber: 'SO-4711' } });
      expect(ack.status).toBe(200);
      const read = await api.get(`/api/v1/deals/${deal.id}`, A.token);
      expect(summary(read)).toMatchObject({ status: 200, body: { erpOrder: { system: SYSTEM, orderNumber: 'SO-4711' } } });
    }, 300_000);
  });

  it("refuses a scope the client lacks (403) and another tenant's records (404)", async () => {
    const reader = await erpClient(A, ['contacts:read']);
    expect((await erp('PUT', `/erp/v1/contacts/${SYSTEM}/ONE-1`, { token: reader, body: { title: 'X' } })).status).toBe(403);
    expect((await erp('GET', '/erp/v1/changes', { token: reader })).status).toBe(403);
    expect((await erp('GET', `/erp/v1/contacts/${SYSTEM}/ONE-1`, { token: reader })).status).toBe(200);

    const stranger = await erpClient(B, ALL_SCOPES);
    expect((await erp('GET', `/erp/v1/contacts/${SYSTEM}/ONE-1`, { token: stranger })).status).toBe(404);
    const { body: feed } = await erp('GET', '/erp/v1/changes?limit=1000', { token: stranger });
    expect(feed.data).toEqual([]);
    expect((await erp('GET', '/erp/v1/changes', {})).status).toBe(401);
    // Machine credentials are for tenant admins only.
    const manager = await userWithRole(api, A, `manager-erp-${run}@example.test`, 'manager');
    expectProblem(await api.post('/api/v1/integrations/clients', { name: 'Not mine to make', scopes: ['contacts:read'] }, manager), 403);
  });
});
