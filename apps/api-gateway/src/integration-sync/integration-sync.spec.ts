import { randomUUID } from 'node:crypto';
import { getFieldOwnership, listSyncLog, setFieldOwnership } from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';

type Ownership = { object: string; fields: { field: string; owner: string }[] };

/**
 * /api/v1/integrations/field-ownership and /sync-log: one bus call each to the integration
 * gateway (a stand-in here that keeps a map per tenant, as it does), admins only, 400 naming the field.
 */
describe('integration sync routes (field ownership, sync log)', () => {
  const prefix = testBusPrefix();
  const maps = new Map<string, Ownership>();
  const syncLogQueries: { tenantId: string; request: unknown }[] = [];
  let ctx: GatewayTestContext;
  let gateway: { close(): Promise<void> };
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    gateway = await startTestResponder({
      service: 'integration-gateway',
      busPrefix: prefix,
      handlers: {
        [getFieldOwnership.name]: (request, { actor }) => {
          const { object } = request as { object: string };
          return maps.get(`${actor.tenantId}/${object}`) ?? { object, fields: [] };
        },
        [setFieldOwnership.name]: (request, { actor }) => {
          const map = request as Ownership;
          maps.set(`${actor.tenantId}/${map.object}`, map);
          return map;
        },
        [listSyncLog.name]: (request, { actor }) => {
          syncLogQueries.push({ tenantId: actor.tenantId, request });
          return { data: [], nextCursor: null };
        },
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await gateway?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const put = (path: string, body: unknown, token: string) => ctx.request('PUT', path, { body, token });

  it("lets an admin set and read an object's field ownership, per tenant", async () => {
    const fields = [
      { field: 'phone', owner: 'crm' },
      { field: 'billingAddress.city', owner: 'erp' },
    ];
    const set = await put('/api/v1/integrations/field-ownership/contacts', { fields }, admin.accessToken);
    expect(set.status).toBe(200);
    expect((await set.json()) as Json).toEqual({ object: 'contacts', fields });
    const read = await ctx.get('/api/v1/integrations/field-ownership/contacts', admin.accessToken);
    expect((await read.json()) as Json).toEqual({ object: 'contacts', fields });
    expect(maps.get(`${admin.tenant.id}/contacts`)).toEqual({ object: 'contacts', fields });

    const other = await ctx.signup();
    expect((await (await ctx.get('/api/v1/integrations/field-ownership/contacts', other.accessToken)).json()) as Json).toEqual({ object: 'contacts', fields: [] });
  });

  it('names the bad field: an unknown object, a field named twice, an unknown owner', async () => {
    await expectProblem(await ctx.get('/api/v1/integrations/field-ownership/invoices', admin.accessToken), 400);
    const twice = await expectProblem(
      await put('/api/v1/integrations/field-ownership/contacts', { fields: [{ field: 'phone', owner: 'crm' }, { field: 'phone', owner: 'erp' }] }, admin.accessToken),
      400,
    );
    expect(twice.errors.map((e: { field: string }) => e.field)).toEqual(['fields']);
    const owner = await expectProblem(await put('/api/v1/integrations/field-ownership/contacts', { fields: [{ field: 'phone', owner: 'both' }] }, admin.accessToken), 400);
    expect(owner.errors.map((e: { field: string }) => e.field)).toEqual(['fields.0.owner']);
  });

  it('passes the sync log filters and page to the integration gateway for the caller tenant', async () => {
    const recordId = randomUUID();
    const response = await ctx.get(`/api/v1/integrations/sync-log?recordId=${recordId}&status=conflict&direction=inbound&limit=10`, admin.accessToken);
    expect(response.status).toBe(200);
    expect((await response.json()) as Json).toEqual({ data: [], nextCursor: null });
    expect(syncLogQueries.at(-1)).toEqual({ tenantId: admin.tenant.id, request: { filter: { recordId, status: 'conflict', direction: 'inbound' }, limit: 10 } });
    await expectProblem(await ctx.get('/api/v1/integrations/sync-log?direction=sideways', admin.accessToken), 400);
  });

  it('is for admins only', async () => {
    const password = 'correct horse battery staple';
    for (const role of ['manager', 'sales', 'viewer']) {
      const email = `${role}-${randomUUID()}@example.com`;
      const created = await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken);
      expect(created.status).toBe(201);
      const { accessToken } = await ctx.login(email, password);
      await expectProblem(await ctx.get('/api/v1/integrations/sync-log', accessToken), 403);
      await expectProblem(await ctx.get('/api/v1/integrations/field-ownership/contacts', accessToken), 403);
      await expectProblem(await put('/api/v1/integrations/field-ownership/contacts', { fields: [] }, accessToken), 403);
    }
    await expectProblem(await ctx.get('/api/v1/integrations/sync-log'), 401);
  });
});
