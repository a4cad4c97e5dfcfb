import { randomUUID } from 'node:crypto';
import { ApiClient, createApiClient, DomainError, getApiClient, listApiClients, revokeApiClient, rotateApiClientSecret, updateApiClient } from '@crm/contracts';
import { startTestResponder, TestCall } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * /api/v1/integrations/clients at the gateway: tenant admins only, what HTTP adds to the
 * integration gateway's commands (201 + Location, ETag, If-Match, problem+json, field names
 * relative to the body). The integration gateway is a stand-in on the bus holding clients per tenant.
 */
class StandInIntegrationGateway {
  readonly clients = new Map<string, Map<string, ApiClient>>();
  readonly received: { name: string; request: Json }[] = [];

  private of(tenantId: string) {
    let clients = this.clients.get(tenantId);
    if (!clients) this.clients.set(tenantId, (clients = new Map()));
    return clients;
  }

  private find(tenantId: string, id: string, expectedVersion?: number): ApiClient {
    const client = this.of(tenantId).get(id);
    if (!client) throw new DomainError('NOT_FOUND', 'No such API client.');
    if (expectedVersion !== undefined && expectedVersion !== client.version) throw new DomainError('PRECONDITION_FAILED', 'changed meanwhile');
    return client;
  }

  handlers() {
    const at = () => new Date().toISOString();
    const log = (name: string, handler: (request: Json, call: TestCall) => unknown) => ({
      [name]: (request: unknown, call: TestCall) => {
        this.received.push({ name, request });
        return handler(request, call);
      },
    });
    return {
      ...log(createApiClient.name, ({ client }, { actor }) => {
        const created: ApiClient = {
          id: randomUUID(),
          ...client,
          createdBy: actor.userId,
          version: 1,
          createdAt: at(),
          updatedAt: at(),
          lastUsedAt: null,
          revokedAt: null,
          secrets: [{ id: randomUUID(), hint: 'abcd', createdAt: at(), expiresAt: null }],
        };
        this.of(actor.tenantId).set(created.id, created);
        return { ...created, secret: 'crm_sk_test-secret-abcd' };
      }),
      ...log(listApiClients.name, (_request, { actor }) => ({ data: [...this.of(actor.tenantId).values()], nextCursor: null })),
      ...log(getApiClient.name, ({ id }, { actor }) => this.find(actor.tenantId, id)),
      ...log(updateApiClient.name, ({ id, expectedVersion, patch }, { actor }) => {
        const client = this.find(actor.tenantId, id, expectedVersion);
        const next = { ...client, ...patch, version: client.version + 1, updatedAt: at() };
        this.of(actor.tenantId).set(id, next);
        return next;
      }),
      ...log(rotateApiClientSecret.name, ({ id, expectedVersion }, { actor }) => {
        const client = this.find(actor.tenantId, id, expectedVersion);
        const next = { ...client, version: client.version + 1 };
        this.of(actor.tenantId).set(id, next);
        return { ...next, secret: 'crm_sk_rotated-efgh' };
      }),
      ...log(revokeApiClient.name, ({ id, expectedVersion }, { actor }) => {
        this.find(actor.tenantId, id, expectedVersion);
        this.of(actor.tenantId).delete(id);
        return { id, revoked: true };
      }),
    };
  }
}

describe('API client routes (/api/v1/integrations/clients)', () => {
  let ctx: GatewayTestContext;
  let responder: { close(): Promise<void> };
  const ig = new StandInIntegrationGateway();
  let admin: SignedUp;
  let stranger: SignedUp;
  const PASSWORD = 'correct horse battery staple';
  const BASE = '/api/v1/integrations/clients';

  beforeAll(async () => {
    ctx = await GatewayTestContext.start();
    responder = await startTestResponder({ service: 'integration-gateway', busPrefix: ctx.config.BUS_NAME_PREFIX, handlers: ig.handlers() });
    admin = await ctx.signup();
    stranger = await ctx.signup();
  });

  afterAll(async () => {
    await responder?.close();
    await ctx?.close();
  });

  async function userWith(roles: string[]): Promise<string> {
    const email = `${roles.join('-')}-${randomUUID()}@example.com`;
    const response = await ctx.post('/api/v1/users', { email, name: 'User', password: PASSWORD, roles }, admin.accessToken);
    expect(response.status).toBe(201);
    return (await ctx.login(email, PASSWORD)).accessToken;
  }

  it('lets a tenant admin create, read, list, update, rotate and revoke a client', async () => {
    const created = await ctx.post(BASE, { name: 'SAP prod', scopes: ['contacts:write'] }, admin.accessToken);
    expect(created.status).toBe(201);
    const body = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`${BASE}/${body.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ name: 'SAP prod', scopes: ['contacts:write'], createdBy: admin.user.id, secret: expect.stringMatching(/^crm_sk_/) });

    const got = await ctx.get(`${BASE}/${body.id}`, admin.accessToken);
    expect({ status: got.status, etag: got.headers.get('etag') }).toEqual({ status: 200, etag: '"1"' });
    const list = (await (await ctx.get(`${BASE}?limit=10`, admin.accessToken)).json()) as Json;
    expect(list.data.map((c: Json) => c.id)).toEqual([body.id]);

    const patched = await ctx.patch(`${BASE}/${body.id}`, { scopes: ['contacts:read'] }, admin.accessToken, { 'if-match': '"1"' });
    expect({ status: patched.status, etag: patched.headers.get('etag') }).toEqual({ status: 200, etag: '"2"' });
    expect(ig.received.at(-1)).toEqual({ name: updateApiClient.name, request: { id: body.id, expectedVersion: 1, patch: { scopes: ['contacts:read'] } } });
    await expectProblem(await ctx.patch(`${BASE}/${body.id}`, { name: 'x' }, admin.accessToken, { 'if-match': '"1"' }), 412);

    const rotated = await ctx.post(`${BASE}/${body.id}/rotate-secret`, { graceSeconds: 3600 }, admin.accessToken);
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).toMatchObject({ secret: 'crm_sk_rotated-efgh', version: 3 });
    expect(ig.received.at(-1)?.request).toMatchObject({ id: body.id, graceSeconds: 3600 });
    expect((await ctx.post(`${BASE}/${body.id}/rotate-secret`, undefined, admin.accessToken)).status).toBe(200);

    expect((await ctx.delete(`${BASE}/${body.id}`, admin.accessToken)).status).toBe(204);
    await expectProblem(await ctx.get(`${BASE}/${body.id}`, admin.accessToken), 404);
  });

  it('answers 400 problem+json naming the body field', async () => {
    const problem = await expectProblem(await ctx.post(BASE, { name: '', scopes: 'contacts:write' }, admin.accessToken), 400);
    expect(problem.errors.map((e: Json) => e.field).sort()).toEqual(['name', 'scopes']);
    await expectProblem(await ctx.get(`${BASE}/not-a-uuid`, admin.accessToken), 400);
    await expectProblem(await ctx.post(`${BASE}/${randomUUID()}/rotate-secret`, { graceSeconds: -1 }, admin.accessToken), 400);
  });

  it("keeps another tenant's clients out of reach (404)", async () => {
    const created = (await (await ctx.post(BASE, { name: 'mine', scopes: ['changes:read'] }, admin.accessToken)).json()) as Json;
    await expectProblem(await ctx.get(`${BASE}/${created.id}`, stranger.accessToken), 404);
    await expectProblem(await ctx.delete(`${BASE}/${created.id}`, stranger.accessToken), 404);
    const list = (await (await ctx.get(BASE, stranger.accessToken)).json()) as Json;
    expect(list.data).toEqual([]);
  });

  it('refuses sales and viewer users (403) and anonymous callers (401)', async () => {
    for (const role of ['sales', 'viewer', 'manager']) {
      const token = await userWith([role]);
      await expectProblem(await ctx.get(BASE, token), 403);
      await expectProblem(await ctx.post(BASE, { name: 'x', scopes: ['contacts:read'] }, token), 403);
    }
    await expectProblem(await ctx.get(BASE), 401);
  });
});
