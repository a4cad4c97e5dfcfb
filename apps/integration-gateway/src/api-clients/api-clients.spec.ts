import { randomUUID } from 'node:crypto';
import {
  Actor,
  apiClientCreated,
  apiClientRevoked,
  createApiClient,
  getApiClient,
  listApiClients,
  revokeApiClient,
  rotateApiClientSecret,
  updateApiClient,
} from '@crm/contracts';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErpAuthGuard } from '../erp-auth/erp-auth.guard';
import { ErpTokens } from '../erp-auth/erp-tokens';
import { RequireScope } from '../erp-auth/require-scope.decorator';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { ApiClientStatus } from './api-client-status';

const admin = (tenantId = randomUUID()): Actor => ({ tenantId, userId: randomUUID(), roles: ['admin'] });

class ProbeRoute {
  @RequireScope('sync-log:read')
  read() {
    return null;
  }
}

/** What the guard sees of an HTTP request to ProbeRoute.read. */
function routeContext(headers: Record<string, string>): ExecutionContext {
  const request = { headers };
  return {
    getType: () => 'http',
    getHandler: () => ProbeRoute.prototype.read,
    getClass: () => ProbeRoute,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

/** API clients as tenant admins manage them through the API gateway (over the bus), and their tokens. */
describe('API clients', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${ctx.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });

  it('creates a client with a secret shown once and stored only as its hash; the event carries no secret', async () => {
    const actor = admin();
    const created = await ctx.call(createApiClient, { client: { name: 'SAP prod', scopes: ['contacts:write', 'changes:read', 'contacts:write'] } }, actor);
    expect(created).toMatchObject({ name: 'SAP prod', scopes: ['contacts:write', 'changes:read'], createdBy: actor.userId, version: 1, revokedAt: null });
    expect(created.secret).toMatch(/^crm_sk_[A-Za-z0-9_-]{43}$/);
    expect(created.secrets).toEqual([expect.objectContaining({ hint: created.secret.slice(-4), expiresAt: null })]);
    const stored = await ctx.database.selectFrom('api_client_secret').selectAll().where('client_id', '=', created.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.secret);
    const { secret: _secret, ...shown } = created;
    await expect(ctx.call(getApiClient, { id: created.id }, actor)).resolves.toEqual(shown);
    const events = await ctx.database.selectFrom('outbox_message').select(['type', 'envelope']).where('subject', '=', created.id).execute();
    expect(events.map((e) => e.type)).toEqual([apiClientCreated.name]);
    expect(JSON.stringify(events)).not.toContain(created.secret);
  });

  it('refuses unknown scopes naming the field, and keeps tenants apart', async () => {
    const actor = admin();
    await expect(ctx.call(createApiClient, { client: { name: 'x', scopes: ['contacts:write', 'root:all'] } }, actor)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ field: 'client.scopes.1' })] },
    });
    const created = await ctx.call(createApiClient, { client: { name: 'x', scopes: ['contacts:read'] } }, actor);
    await expect(ctx.call(getApiClient, { id: created.id }, admin())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ctx.call(revokeApiClient, { id: created.id }, admin())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const list = await ctx.call(listApiClients, { limit: 25 }, admin());
    expect(list.data).toEqual([]);
  });

  it('lists newest first, page by page', async () => {
    const actor = admin();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) ids.push((await ctx.call(createApiClient, { client: { name, scopes: ['contacts:read'] } }, actor)).id);
    const first = await ctx.call(listApiClients, { limit: 2 }, actor);
    expect(first.data.map((c) => c.name)).toEqual(['c', 'b']);
    const second = await ctx.call(listApiClients, { limit: 2, cursor: first.nextCursor ?? undefined }, actor);
    expect(second).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  it('updates name and scopes with If-Match semantics', async () => {
    const actor = admin();
    const created = await ctx.call(createApiClient, { client: { name: 'x', scopes: ['contacts:read'] } }, actor);
    const updated = await ctx.call(updateApiClient, { id: created.id, expectedVersion: 1, patch: { scopes: ['contacts:read', 'contacts:write'] } }, actor);
    expect(updated).toMatchObject({ version: 2, scopes: ['contacts:read', 'contacts:write'], name: 'x' });
    await expect(ctx.call(updateApiClient, { id: created.id, expectedVersion: 1, patch: { name: 'y' } }, actor)).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    // Nothing changed: same version.
    await expect(ctx.call(updateApiClient, { id: created.id, patch: { name: 'x' } }, actor)).resolves.toMatchObject({ version: 2 });
  });

  it('issues tokens by the client-credentials grant (form or JSON, Basic or body), narrowed by scope', async () => {
    const actor = admin();
    const client = await ctx.call(createApiClient, { client: { name: 'erp', scopes: ['contacts:read', 'contacts:write'] } }, actor);
    const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    const byBasic = await token({ grant_type: 'client_credentials' }, { authorization: basic });
    expect(byBasic.status).toBe(200);
    expect(byBasic.headers.get('cache-control')).toBe('no-store');
    const body = (await byBasic.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'contacts:read contacts:write' });

    const byJson = await fetch(`${ctx.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: 'contacts:read' }),
    });
    expect(byJson.status).toBe(200);
    expect(await byJson.json()).toMatchObject({ scope: 'contacts:read' });

    const wider = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: 'webhooks:manage' });
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });

    const grant = await token({ grant_type: 'password', client_id: client.id, client_secret: client.secret });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });

    const wrong = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: `${client.secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    // Another client's id with this secret: refused too.
    const other = await ctx.call(createApiClient, { client: { name: 'other', scopes: ['contacts:read'] } }, actor);
    expect((await token({ grant_type: 'client_credentials', client_id: other.id, client_secret: client.secret })).status).toBe(401);

    const used = await ctx.call(getApiClient, { id: client.id }, actor);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('keeps the previous secret working during a rotation, then only the new one', async () => {
    const actor = admin();
    const client = await ctx.call(createApiClient, { client: { name: 'erp', scopes: ['contacts:read'] } }, actor);
    const rotated = await ctx.call(rotateApiClientSecret, { id: client.id }, actor);
    expect(rotated.secret).not.toBe(client.secret);
    expect(rotated.secrets).toHaveLength(2);
    expect(rotated.secrets[0].expiresAt).not.toBeNull();
    for (const secret of [client.secret, rotated.secret])
      expect((await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret })).status).toBe(200);
    // A rotation without grace ends the previous secrets now.
    const again = await ctx.call(rotateApiClientSecret, { id: client.id, graceSeconds: 0 }, actor);
    expect(again.secrets.map((s) => s.hint)).toEqual([again.secret.slice(-4)]);
    for (const secret of [client.secret, rotated.secret])
      expect((await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret })).status).toBe(401);
    expect((await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: again.secret })).status).toBe(200);
  });

  it('narrows live tokens when an admin removes a scope from the client', async () => {
    const actor = admin();
    const client = await ctx.call(createApiClient, { client: { name: 'erp', scopes: ['sync-log:read', 'contacts:read'] } }, actor);
    const response = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    const { access_token } = (await response.json()) as { access_token: string };
    const guard = new ErpAuthGuard(ctx.service.app.get(Reflector), ctx.service.app.get(ErpTokens), ctx.service.app.get(ApiClientStatus));
    await expect(guard.canActivate(routeContext({ authorization: `Bearer ${access_token}` }))).resolves.toBe(true);
    await ctx.call(updateApiClient, { id: client.id, patch: { scopes: ['contacts:read'] } }, actor);
    await expect(guard.canActivate(routeContext({ authorization: `Bearer ${access_token}` }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('revokes a client: no new token, and its live tokens are refused', async () => {
    const actor = admin();
    const client = await ctx.call(createApiClient, { client: { name: 'erp', scopes: ['sync-log:read'] } }, actor);
    const response = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    const { access_token } = (await response.json()) as { access_token: string };
    // The guard every route passes, on a route that needs the client's scope.
    const guard = new ErpAuthGuard(ctx.service.app.get(Reflector), ctx.service.app.get(ErpTokens), ctx.service.app.get(ApiClientStatus));
    const probe = () => guard.canActivate(routeContext({ authorization: `Bearer ${access_token}` }));
    await expect(probe()).resolves.toBe(true);
    await expect(ctx.call(revokeApiClient, { id: client.id, expectedVersion: 1 }, actor)).resolves.toEqual({ id: client.id, revoked: true });
    await expect(ctx.call(getApiClient, { id: client.id }, actor)).resolves.toMatchObject({ revokedAt: expect.any(String), secrets: [] });
    expect((await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret })).status).toBe(401);
    await expect(probe()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(ctx.call(updateApiClient, { id: client.id, patch: { name: 'z' } }, actor)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', client.id).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual([apiClientCreated.name, apiClientRevoked.name]);
  });
});
