import { randomUUID } from 'node:crypto';
import { exportContact, listDataSubjectRequests } from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { contactRecord } from '../../testing/contact-records';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * GET /contacts/:id/export is a data-subject request: admins and managers only, and the contacts
 * service (here a stand-in; it records each request, see its export-contact spec) gets the caller
 * as itself, so the record says who asked.
 */
describe('contact export route', () => {
  const prefix = testBusPrefix();
  const contactId = randomUUID();
  /** The exports that reached the contacts service, with their caller. */
  const exportsReceived: { contactId: string; tenantId: string; userId: string }[] = [];
  let ctx: GatewayTestContext;
  let contacts: { close(): Promise<void> };
  let admin: SignedUp;
  const tokens: Record<string, { id: string; accessToken: string }> = {};

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: prefix,
      handlers: {
        [exportContact.name]: (request, { actor }) => {
          const { id } = request as { id: string };
          exportsReceived.push({ contactId: id, tenantId: actor.tenantId, userId: actor.userId });
          return {
            exportedAt: new Date().toISOString(),
            contact: contactRecord({ id, emails: [{ address: 'ada@private.example', primary: true }] }),
            company: null,
            interactions: [],
          };
        },
        [listDataSubjectRequests.name]: (_request, { actor }) => ({
          data: exportsReceived
            .filter((e) => e.tenantId === actor.tenantId)
            .map((e) => ({ id: randomUUID(), kind: 'export', contactId: e.contactId, requestedBy: e.userId, requestedAt: new Date().toISOString() })),
          nextCursor: null,
        }),
      },
    });
    admin = await ctx.signup();
    tokens['admin'] = { id: admin.user.id, accessToken: admin.accessToken };
    for (const role of ['manager', 'sales', 'support', 'viewer']) {
      const email = `${role}-${Date.now()}@example.com`;
      const password = 'correct horse battery staple';
      const user = await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken);
      expect(user.status).toBe(201);
      tokens[role] = { id: ((await user.json()) as Json).id, accessToken: (await ctx.login(email, password)).accessToken };
    }
  });

  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  it.each(['viewer', 'sales', 'support'])('refuses a %s: 403, and the request never reaches the service', async (role) => {
    const before = exportsReceived.length;
    await expectProblem(await ctx.get(`/api/v1/contacts/${contactId}/export`, tokens[role].accessToken), 403);
    expect(exportsReceived).toHaveLength(before);
  });

  it.each(['manager', 'admin'])('lets a %s export: 200 with the personal data, asked of the service as the caller', async (role) => {
    const before = exportsReceived.length;
    const response = await ctx.get(`/api/v1/contacts/${contactId}/export`, tokens[role].accessToken);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).contact).toMatchObject({ id: contactId, emails: [{ address: 'ada@private.example' }] });
    expect(exportsReceived.slice(before)).toEqual([{ contactId, tenantId: admin.tenant.id, userId: tokens[role].id }]);
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
