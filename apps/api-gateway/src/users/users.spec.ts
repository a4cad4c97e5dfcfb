import { randomBytes, randomUUID } from 'node:crypto';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';

const PASSWORD = 'a long enough password';

/** Users administration through the gateway as main.ts starts it (real Postgres, Redis, broker). */
describe('api-gateway users administration', () => {
  let ctx: GatewayTestContext;
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start();
    admin = await ctx.signup();
  });

  afterAll(() => ctx?.close());

  const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

  /** Creates a user through the API and signs them in. */
  /** A new pair from a refresh token (after a role change, the old access token is refused). */
  async function refreshed(refreshToken: string): Promise<{ accessToken: string; refreshToken: string }> {
    const response = await ctx.post('/api/v1/auth/refresh', { refreshToken });
    expect(response.status).toBe(200);
    return (await response.json()) as { accessToken: string; refreshToken: string };
  }

  async function createUser(token: string, roles: string[], overrides: Record<string, unknown> = {}) {
    const body = { email: uniqueEmail(roles.join('-')), name: `User ${roles.join(' ')}`, password: PASSWORD, roles, ...overrides };
    const response = await ctx.post('/api/v1/users', body, token);
    expect(response.status).toBe(201);
    const user = (await response.json()) as Json;
    const tokens = await ctx.login(user.email, PASSWORD);
    return { user, ...tokens };
  }

  async function listAll(token: string, query: string, limit: number): Promise<Json[]> {
    const users: Json[] = [];
    let cursor: string | null = null;
    do {
      const response = await ctx.get(`/api/v1/users?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Json;
      expect(page.data.length).toBeLessThanOrEqual(limit);
      users.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return users;
  }

  it('runs the admin life cycle: create, list, get, update, deactivate, activate', async () => {
    const token = admin.accessToken;
    const created = await ctx.post(
      '/api/v1/users',
      { email: uniqueEmail('Grace.Hopper').toUpperCase(), name: 'Grace Hopper', password: PASSWORD, roles: ['sales', 'sales'] },
      token,
    );
    expect(created.status).toBe(201);
    const grace = (await created.json()) as Json;
    expect(grace).toMatchObject({ id: expect.any(String), name: 'Grace Hopper', roles: ['sales'], active: true, tenantId: admin.tenant.id });
    expect(grace.email).toBe(grace.email.toLowerCase());
    expect(Object.keys(grace).join()).not.toMatch(/password/i);
    const manager = await createUser(token, ['manager']);
    const viewer = await createUser(token, ['viewer']);

    // Every user once, in creation order, whatever the page size.
    const all = await listAll(token, '', 2);
    expect(all.map((u) => u.id)).toEqual([admin.user.id, grace.id, manager.user.id, viewer.user.id]);
    expect(JSON.stringify(all)).not.toMatch(/password/i);
    expect((await listAll(token, '', 100)).map((u) => u.id)).toEqual(all.map((u) => u.id));
    const firstPage = (await (await ctx.get('/api/v1/users', token)).json()) as Json;
    expect(firstPage).toEqual({ data: all, nextCursor: null });

    // Filters.
    expect((await listAll(token, '&role=sales', 1)).map((u) => u.id)).toEqual([grace.id]);
    expect((await listAll(token, '&q=HOPPER', 10)).map((u) => u.id)).toEqual([grace.id]);
    expect((await listAll(token, `&q=${encodeURIComponent(viewer.user.email.slice(0, 12))}`, 10)).map((u) => u.id)).toEqual([viewer.user.id]);
    expect((await listAll(token, '&active=false', 10)).map((u) => u.id)).toEqual([]);

    // Get and update.
    const got = await ctx.get(`/api/v1/users/${grace.id}`, token);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(grace);
    const patched = await ctx.patch(`/api/v1/users/${grace.id}`, { name: 'Grace B. Hopper', roles: ['sales', 'support'] }, token);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: grace.id, name: 'Grace B. Hopper', roles: ['sales', 'support'], active: true });
    expect(await (await ctx.get(`/api/v1/users/${grace.id}`, token)).json()).toMatchObject({ name: 'Grace B. Hopper', roles: ['sales', 'support'] });

    // The new roles come with the next token.
    const session = await ctx.login(grace.email, PASSWORD);
    const me = (await (await ctx.get('/api/v1/auth/me', session.accessToken)).json()) as Json;
    expect(me.user.roles).toEqual(['sales', 'support']);

    // Deactivation: cut off at once, everywhere.
    const deactivated = await ctx.post(`/api/v1/users/${grace.id}/deactivate`, undefined, token);
    expect(deactivated.status).toBe(200);
    expect(await deactivated.json()).toMatchObject({ id: grace.id, active: false });
    await expectProblem(await ctx.get('/api/v1/auth/me', session.accessToken), 401);
    await expectProblem(await ctx.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }), 401);
    await expectProblem(await ctx.post('/api/v1/auth/login', { email: grace.email, password: PASSWORD }), 401);
    expect((await listAll(token, '&active=false', 10)).map((u) => u.id)).toEqual([grace.id]);
    expect((await listAll(token, '&active=true', 10)).map((u) => u.id)).not.toContain(grace.id);
    // Idempotent.
    expect((await ctx.post(`/api/v1/users/${grace.id}/deactivate`, undefined, token)).status).toBe(200);

    // Activation: she signs in again; the sessions revoked at deactivation stay revoked.
    const activated = await ctx.post(`/api/v1/users/${grace.id}/activate`, undefined, token);
    expect(activated.status).toBe(200);
    expect(await activated.json()).toMatchObject({ id: grace.id, active: true });
    const again = await ctx.login(grace.email, PASSWORD);
    expect((await ctx.get('/api/v1/auth/me', again.accessToken)).status).toBe(200);
    await expectProblem(await ctx.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }), 401);
  });

  it('refuses users administration to roles without it with 403 problem+json; managers may only read', async () => {
    const token = admin.accessToken;
    const target = await createUser(token, ['support']);
    const newUser = () => ({ email: uniqueEmail('new'), name: 'New', password: PASSWORD, roles: ['viewer'] });
    const callers = {
      viewer: await createUser(token, ['viewer']),
      sales: await createUser(token, ['sales']),
      support: await createUser(token, ['support']),
      manager: await createUser(token, ['manager']),
    };
    for (const [role, caller] of Object.entries(callers)) {
      const refused = await expectProblem(await ctx.post('/api/v1/users', newUser(), caller.accessToken), 403);
      expect(refused.detail).toContain('users');
      await expectProblem(await ctx.patch(`/api/v1/users/${target.user.id}`, { name: `Renamed by ${role}` }, caller.accessToken), 403);
      await expectProblem(await ctx.post(`/api/v1/users/${target.user.id}/deactivate`, undefined, caller.accessToken), 403);
      await expectProblem(await ctx.post(`/api/v1/users/${target.user.id}/activate`, undefined, caller.accessToken), 403);
    }
    for (const caller of [callers.viewer, callers.sales, callers.support]) {
      await expectProblem(await ctx.get('/api/v1/users', caller.accessToken), 403);
      await expectProblem(await ctx.get(`/api/v1/users/${target.user.id}`, caller.accessToken), 403);
    }
    expect((await ctx.get('/api/v1/users', callers.manager.accessToken)).status).toBe(200);
    expect((await ctx.get(`/api/v1/users/${target.user.id}`, callers.manager.accessToken)).status).toBe(200);
    // Nothing was changed by the refused calls.
    expect(await (await ctx.get(`/api/v1/users/${target.user.id}`, token)).json()).toEqual(target.user);
    await expectProblem(await ctx.get('/api/v1/users'), 401);
  });

  it("answers another tenant's user as an unknown one (404) and leaves it unchanged", async () => {
    const other = await ctx.signup({ organization: 'Other' });
    const foreign = await createUser(other.accessToken, ['sales']);
    const token = admin.accessToken;
    for (const id of [foreign.user.id, other.user.id, randomUUID()]) {
      await expectProblem(await ctx.get(`/api/v1/users/${id}`, token), 404);
      await expectProblem(await ctx.patch(`/api/v1/users/${id}`, { name: 'Hijacked', roles: ['viewer'] }, token), 404);
      await expectProblem(await ctx.post(`/api/v1/users/${id}/deactivate`, undefined, token), 404);
      await expectProblem(await ctx.post(`/api/v1/users/${id}/activate`, undefined, token), 404);
    }
    const ownIds = (await listAll(token, '', 100)).map((u) => u.id);
    expect(ownIds).not.toContain(foreign.user.id);
    expect(ownIds).not.toContain(other.user.id);
    expect((await listAll(token, `&q=${encodeURIComponent(foreign.user.email)}`, 10)).length).toBe(0);

    expect(await (await ctx.get(`/api/v1/users/${foreign.user.id}`, other.accessToken)).json()).toEqual(foreign.user);
    expect(await (await ctx.get(`/api/v1/users/${other.user.id}`, other.accessToken)).json()).toMatchObject({ roles: ['admin'], active: true });
    expect((await ctx.get('/api/v1/auth/me', foreign.accessToken)).status).toBe(200);
    expect((await ctx.post('/api/v1/auth/refresh', { refreshToken: foreign.refreshToken })).status).toBe(200);
  });

  it('keeps every organisation administrable: no self-lockout, always an active admin (409)', async () => {
    const first = await ctx.signup();
    const self = `/api/v1/users/${first.user.id}`;
    const selfDeactivation = await expectProblem(await ctx.post(`${self}/deactivate`, undefined, first.accessToken), 409);
    expect(selfDeactivation.detail).toMatch(/your own account/);
    const selfDemotion = await expectProblem(await ctx.patch(self, { roles: ['manager'] }, first.accessToken), 409);
    expect(selfDemotion.detail).toMatch(/your own admin role/);
    // Keeping admin among other roles, and renaming oneself, are fine; a role change refuses the
    // tokens issued before it, so the new roles come with the next (refreshed) token.
    expect((await ctx.patch(self, { name: 'Still Ada', roles: ['admin', 'sales'] }, first.accessToken)).status).toBe(200);
    await expectProblem(await ctx.get('/api/v1/auth/me', first.accessToken), 401);
    let firstToken = await refreshed(first.refreshToken);

    // A second admin demoted: their admin token stops working at once; the refreshed one is a manager's.
    const second = await createUser(firstToken.accessToken, ['admin']);
    expect((await ctx.patch(`/api/v1/users/${second.user.id}`, { roles: ['manager'] }, firstToken.accessToken)).status).toBe(200);
    await expectProblem(await ctx.post(`${self}/deactivate`, undefined, second.accessToken), 401);
    let secondToken = await refreshed(second.refreshToken);
    await expectProblem(await ctx.post(`${self}/deactivate`, undefined, secondToken.accessToken), 403);
    expect(await (await ctx.get(self, firstToken.accessToken)).json()).toMatchObject({ roles: ['admin', 'sales'], active: true });

    // With another active admin, an admin may be demoted and deactivated by a peer.
    expect((await ctx.patch(`/api/v1/users/${second.user.id}`, { roles: ['admin'] }, firstToken.accessToken)).status).toBe(200);
    secondToken = await refreshed(secondToken.refreshToken);
    expect((await ctx.patch(self, { roles: ['sales'] }, secondToken.accessToken)).status).toBe(200);
    await expectProblem(await ctx.get('/api/v1/auth/me', firstToken.accessToken), 401);
    firstToken = await refreshed(firstToken.refreshToken);
    expect((await ctx.patch(self, { roles: ['admin'] }, secondToken.accessToken)).status).toBe(200);
    expect((await ctx.post(`${self}/deactivate`, undefined, secondToken.accessToken)).status).toBe(200);
    await expectProblem(await ctx.get('/api/v1/auth/me', firstToken.accessToken), 401);
    await expectProblem(await ctx.post('/api/v1/auth/refresh', { refreshToken: firstToken.refreshToken }), 401);
  });

  it('lets only one of two admins demoting each other at the same time win', async () => {
    const first = await ctx.signup();
    const second = await createUser(first.accessToken, ['admin']);
    const [a, b] = await Promise.all([
      ctx.patch(`/api/v1/users/${second.user.id}`, { roles: ['viewer'] }, first.accessToken),
      ctx.patch(`/api/v1/users/${first.user.id}`, { roles: ['viewer'] }, second.accessToken),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? first.accessToken : second.accessToken;
    expect(await listAll(winner, '&role=admin&active=true', 10)).toHaveLength(1);
  });

  it('rejects a second user with the same email, whatever its case, with 409', async () => {
    const email = uniqueEmail('twice');
    const body = { email, name: 'Twice', password: PASSWORD, roles: ['viewer'] };
    expect((await ctx.post('/api/v1/users', body, admin.accessToken)).status).toBe(201);
    await expectProblem(await ctx.post('/api/v1/users', { ...body, email: email.toUpperCase() }, admin.accessToken), 409);
    await expectProblem(await ctx.post('/api/v1/users', { ...body, email: admin.email }, admin.accessToken), 409);
  });

  it('reports bad input as 400 problem+json naming each field', async () => {
    const token = admin.accessToken;
    const fields = async (response: Response) => ((await expectProblem(response, 400)).errors as Json[]).map((e) => e.field).sort();

    expect(await fields(await ctx.post('/api/v1/users', { email: 'nope', name: ' ', password: 'short', roles: [] }, token))).toEqual([
      'email',
      'name',
      'password',
      'roles',
    ]);
    expect(await fields(await ctx.post('/api/v1/users', { email: uniqueEmail('x'), name: 'X', password: PASSWORD, roles: ['god'] }, token))).toEqual([
      'roles.0',
    ]);
    expect(await fields(await ctx.post('/api/v1/users', undefined, token))).toEqual(['email', 'name', 'password', 'roles']);

    const target = `/api/v1/users/${admin.user.id}`;
    expect(await fields(await ctx.patch(target, { active: false }, token))).toEqual(['active']);
    expect(await fields(await ctx.patch(target, {}, token))).toEqual(['name']);
    expect(await fields(await ctx.patch(target, { roles: 'admin', name: 42 }, token))).toEqual(['name', 'roles']);

    for (const malformed of ['not-a-uuid', '1', "1'%20OR%20'1'='1"]) {
      expect(await fields(await ctx.get(`/api/v1/users/${malformed}`, token))).toEqual(['id']);
      expect(await fields(await ctx.post(`/api/v1/users/${malformed}/deactivate`, undefined, token))).toEqual(['id']);
    }

    expect(await fields(await ctx.get('/api/v1/users?limit=0&active=maybe&role=god&cursor=garbage', token))).toEqual(['active', 'cursor', 'limit', 'role']);
    expect(await fields(await ctx.get('/api/v1/users?limit=101', token))).toEqual(['limit']);
    expect(await fields(await ctx.get('/api/v1/users?limit=ten', token))).toEqual(['limit']);
  });
});
