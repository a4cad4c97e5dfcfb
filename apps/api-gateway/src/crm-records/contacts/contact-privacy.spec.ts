import { Client } from 'pg';
import { deleteBusObjects, testBusPrefix, testEnv, TestService } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';
import { startContactsService } from '../../testing/contacts-service';

jest.setTimeout(60_000);

/** GET /contacts/:id/export is a data-subject request: admins and managers only, each one recorded in the contacts database. */
describe('contact export route', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let contacts: TestService;
  let db: Client;
  let admin: SignedUp;
  const tokens: Record<string, { id: string; accessToken: string }> = {};
  let contactId: string;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    contacts = await startContactsService(prefix);
    db = new Client({ connectionString: contacts.db.url });
    await db.connect();
    admin = await ctx.signup();
    tokens['admin'] = { id: admin.user.id, accessToken: admin.accessToken };
    for (const role of ['manager', 'sales', 'support', 'viewer']) {
      const email = `${role}-${Date.now()}@example.com`;
      const password = 'correct horse battery staple';
      const user = await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken);
      expect(user.status).toBe(201);
      tokens[role] = { id: ((await user.json()) as Json).id, accessToken: (await ctx.login(email, password)).accessToken };
    }
    const created = await ctx.post('/api/v1/contacts', { firstName: 'Ada', emails: [{ address: 'ada@private.example' }] }, admin.accessToken);
    expect(created.status).toBe(201);
    contactId = ((await created.json()) as Json).id;
  });

  afterAll(async () => {
    await db?.end();
    await contacts?.close();
    await ctx?.close();
    await deleteBusObjects((await testEnv()).rabbitmqUrl, prefix);
  });

  const recorded = async () =>
    (await db.query(`SELECT kind, contact_id, requested_by, requested_at FROM data_subject_request WHERE tenant_id = $1 ORDER BY requested_at, id`, [admin.tenant.id])).rows;

  it.each(['viewer', 'sales', 'support'])('refuses a %s: 403, and nothing is recorded', async (role) => {
    const before = await recorded();
    await expectProblem(await ctx.get(`/api/v1/contacts/${contactId}/export`, tokens[role].accessToken), 403);
    expect(await recorded()).toEqual(before);
  });

  it.each(['manager', 'admin'])('lets a %s export: 200 with the personal data, and a record of who, when and which contact', async (role) => {
    const before = (await recorded()).length;
    const start = Date.now();
    const response = await ctx.get(`/api/v1/contacts/${contactId}/export`, tokens[role].accessToken);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).contact).toMatchObject({ id: contactId, emails: [{ address: 'ada@private.example' }] });
    const rows = await recorded();
    expect(rows).toHaveLength(before + 1);
    const row = rows[rows.length - 1];
    expect(row).toEqual({ kind: 'export', contact_id: contactId, requested_by: tokens[role].id, requested_at: expect.any(Date) });
    expect(row.requested_at.getTime()).toBeGreaterThanOrEqual(start - 1_000);
  });

  it('lets admins list the data-subject requests; not managers', async () => {
    const response = await ctx.get('/api/v1/contacts/data-subject-requests', admin.accessToken);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.data.length).toBeGreaterThanOrEqual(2);
    expect(body.data[0]).toEqual({ id: expect.any(String), kind: 'export', contactId, requestedBy: expect.any(String), requestedAt: expect.any(String) });
    await expectProblem(await ctx.get('/api/v1/contacts/data-subject-requests', tokens['manager'].accessToken), 403);
  });
});
