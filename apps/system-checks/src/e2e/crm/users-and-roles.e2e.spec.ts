import { ApiResponse, expectProblem, summary } from '../api-client';
import { contactsOf, ids, PASSWORD, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** Users of one organisation and what their roles let them do, over HTTP on the shared system. */
describe('users and roles (e2e)', () => {
  const { api, run } = sharedSystem();

  it('signs up two tenants; an admin adds a viewer, who logs in', async () => {
    const tenants: Record<string, { token: string; tenantId: string }> = {};
    for (const name of ['a', 'b']) {
      const email = `admin-roles-${name}-${run}@example.test`;
      const signup = await api.post('/api/v1/auth/signup', {
        organization: `Roles ${name.toUpperCase()} ${run}`,
        name: `Admin ${name}`,
        email,
        password: PASSWORD,
      });
      expect(summary(signup)).toMatchObject({
        status: 201,
        body: { accessToken: expect.any(String), user: { roles: ['admin'] } },
      });
      tenants[name] = { token: signup.body.accessToken, tenantId: signup.body.tenant.id };
    }
    expect(tenants['a'].tenantId).not.toBe(tenants['b'].tenantId);

    const viewerEmail = `viewer-roles-${run}@example.test`;
    const created = await api.post('/api/v1/users', { email: viewerEmail, name: 'Vera Viewer', password: PASSWORD, roles: ['viewer'] }, tenants['a'].token);
    expect(summary(created)).toMatchObject({
      status: 201,
      body: { email: viewerEmail, roles: ['viewer'] },
    });

    const login = await api.post('/api/v1/auth/login', { email: viewerEmail, password: PASSWORD });
    expect(summary(login)).toMatchObject({
      status: 200,
      body: { accessToken: expect.any(String) },
    });
    const me = await api.get('/api/v1/auth/me', login.body.accessToken);
    expect(summary(me)).toMatchObject({
      status: 200,
      body: { user: { email: viewerEmail, roles: ['viewer'], tenantId: tenants['a'].tenantId } },
    });
  });

  describe('a viewer', () => {
    let tenant: Tenant;
    let fixture: CrmFixture;
    let viewerToken: string;

    beforeAll(async () => {
      tenant = await signUpTenant(api, run, 'viewer');
      fixture = await new CrmFixture(api, tenant).everything();
      viewerToken = await userWithRole(api, tenant, `viewer-${run}@example.test`, 'viewer');
    });

    it('reads everything but gets 403 on every write', async () => {
      const { margaret, acme, batch } = fixture;
      const reads = [
        '/api/v1/contacts',
        `/api/v1/contacts/${margaret.id}`,
        `/api/v1/contacts/${margaret.id}/interactions`,
        '/api/v1/companies',
        `/api/v1/companies/${acme.id}`,
        '/api/v1/custom-fields',
        '/api/v1/analytics/summary',
      ];
      const readStatuses = Object.fromEntries(await Promise.all(reads.map(async (path) => [path, (await api.get(path, viewerToken)).status] as const)));
      expect(readStatuses).toEqual(Object.fromEntries(reads.map((path) => [path, 200])));
      expect(ids(await contactsOf(api, viewerToken).list('q=Thornton'))).toContain(margaret.id);

      const contact = `/api/v1/contacts/${margaret.id}`;
      const writes: Array<[string, () => Promise<ApiResponse>]> = [
        ['POST /contacts', () => api.post('/api/v1/contacts', { firstName: 'Vic' }, viewerToken)],
        ['PATCH contact', () => api.patch(contact, { title: 'Viewer was here' }, viewerToken)],
        ['DELETE contact', () => api.delete(contact, viewerToken)],
        ['POST restore', () => api.post(`${contact}/restore`, {}, viewerToken)],
        ['POST merge', () => api.post(`${contact}/merge`, { mergedId: batch[0].id }, viewerToken)],
        ['POST interaction', () => api.post(`${contact}/interactions`, { channel: 'note' }, viewerToken)],
        ['POST erase', () => api.post(`${contact}/erase`, {}, viewerToken)],
        ['POST /companies', () => api.post('/api/v1/companies', { name: 'Viewer Inc' }, viewerToken)],
        ['PATCH company', () => api.patch(`/api/v1/companies/${acme.id}`, { name: 'Viewer Inc' }, viewerToken)],
        ['DELETE company', () => api.delete(`/api/v1/companies/${acme.id}`, viewerToken)],
        ['POST /custom-fields', () => api.post('/api/v1/custom-fields', { entity: 'contact', key: 'mood', label: 'Mood', type: 'text' }, viewerToken)],
        ['POST /users', () => api.post('/api/v1/users', { email: `x-${run}@example.test`, name: 'X', password: PASSWORD, roles: ['admin'] }, viewerToken)],
      ];
      const writeResponses = await Promise.all(writes.map(async ([name, send]) => [name, await send()] as const));
      expect(Object.fromEntries(writeResponses.map(([name, r]) => [name, r.status]))).toEqual(Object.fromEntries(writes.map(([name]) => [name, 403])));
      for (const [, response] of writeResponses) expectProblem(response, 403);
      expect((await api.get(contact, tenant.token)).body).toMatchObject({ version: margaret.version, deletedAt: null });
    });
  });
});
