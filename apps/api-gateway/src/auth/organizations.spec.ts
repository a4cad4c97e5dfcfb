import { randomUUID } from 'node:crypto';
import { expectProblem, GatewayTestContext, Json } from '../testing/gateway-test-app';

/**
 * Defect 8 of issue 9: emails were unique across tenants, so anyone could register a colleague's
 * address first, and 409 answers told whether an address existed in any tenant. An email is now
 * unique per organisation; login asks which organisation (slug) only once the password matched.
 */
describe('one email in several organisations', () => {
  let ctx: GatewayTestContext;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ AUTH_LOGIN_MAX_FAILURES_PER_IP: '10000', AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '20' });
  });

  afterAll(() => ctx?.close());

  const newEmail = () => `person-${randomUUID()}@example.com`;
  const login = (body: object) => ctx.post('/api/v1/auth/login', body);
  const claimsOf = (token: string): Json => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

  it('never answers "email exists" at sign-up: the same email may create another organisation; each gets a unique slug', async () => {
    const email = newEmail();
    const first = await ctx.signup({ email, organization: 'Acme Rockets & Co.' });
    const second = await ctx.signup({ email: email.toUpperCase(), organization: 'Acme Rockets & Co.' });
    expect(second.tenant.id).not.toBe(first.tenant.id);
    const slugs = [(first.tenant as Json).slug, (second.tenant as Json).slug];
    for (const slug of slugs) expect(slug).toMatch(/^acme-rockets-co(-[a-z0-9]+)?$/);
    expect(slugs[0]).not.toBe(slugs[1]);
    const me = (await (await ctx.get('/api/v1/auth/me', second.accessToken)).json()) as Json;
    expect(me.tenant).toEqual({ id: second.tenant.id, name: 'Acme Rockets & Co.', slug: slugs[1] });
  });

  it('asks for the organisation (409 ORGANIZATION_REQUIRED) listing only those where the password matched; a slug picks one', async () => {
    const email = newEmail();
    const a = await ctx.signup({ email, organization: 'Org A' });
    const b = await ctx.signup({ email, organization: 'Org B' });
    const c = await ctx.signup({ email, organization: 'Org C', password: 'a different passphrase' });

    const ambiguous = await expectProblem(await login({ email, password }), 409);
    expect(ambiguous.code).toBe('ORGANIZATION_REQUIRED');
    const listed = (ambiguous.organizations as Json[]).map((o) => o.slug).sort();
    expect(listed).toEqual([(a.tenant as Json).slug, (b.tenant as Json).slug].sort());
    expect(JSON.stringify(ambiguous)).not.toContain((c.tenant as Json).slug);

    const intoB = await login({ email, password, organization: (b.tenant as Json).slug });
    expect(intoB.status).toBe(200);
    expect(claimsOf(((await intoB.json()) as Json).accessToken).tid).toBe(b.tenant.id);
    // Only one organisation matches this password: no question asked.
    const intoC = await login({ email, password: 'a different passphrase' });
    expect(intoC.status).toBe(200);
    expect(claimsOf(((await intoC.json()) as Json).accessToken).tid).toBe(c.tenant.id);
    // The password of another organisation does not open this one.
    await expectProblem(await login({ email, password, organization: (c.tenant as Json).slug }), 401);
  });

  it('answers a wrong password with the same 401 whether the email exists in one, several or no organisation, or the slug is unknown', async () => {
    const email = newEmail();
    await ctx.signup({ email, organization: 'One' });
    await ctx.signup({ email, organization: 'Two' });
    const strip = ({ correlationId: _c, instance: _i, ...rest }: Json) => rest;
    const wrong = strip(await expectProblem(await login({ email, password: 'not the password' }), 401));
    expect(strip(await expectProblem(await login({ email: newEmail(), password: 'not the password' }), 401))).toEqual(wrong);
    expect(strip(await expectProblem(await login({ email, password, organization: 'no-such-org' }), 401))).toEqual(wrong);
    expect(wrong.organizations).toBeUndefined();
  });

  it("lets an admin add a user whose email exists in another organisation (409 only in its own), and never shows another tenant's users", async () => {
    const email = newEmail();
    const adminA = await ctx.signup({ organization: 'Alpha' });
    const adminB = await ctx.signup({ organization: 'Beta' });
    const inB = await ctx.post('/api/v1/users', { email, name: 'Pat', password, roles: ['sales'] }, adminB.accessToken);
    expect(inB.status).toBe(201);
    const inA = await ctx.post('/api/v1/users', { email, name: 'Pat', password: 'yet another passphrase', roles: ['viewer'] }, adminA.accessToken);
    expect(inA.status).toBe(201);
    const again = await expectProblem(
      await ctx.post('/api/v1/users', { email: email.toUpperCase(), name: 'Pat 2', password, roles: ['viewer'] }, adminA.accessToken),
      409,
    );
    expect(JSON.stringify(again)).not.toContain('Beta');

    const listedByA = (await (await ctx.get(`/api/v1/users?q=${encodeURIComponent(email)}`, adminA.accessToken)).json()) as Json;
    expect(listedByA.data).toHaveLength(1);
    expect(listedByA.data[0]).toMatchObject({ email, tenantId: adminA.tenant.id, roles: ['viewer'] });
    // Each login lands in the organisation the password belongs to.
    const pat = await login({ email, password });
    expect(claimsOf(((await pat.json()) as Json).accessToken).tid).toBe(adminB.tenant.id);
  });

  it('throttles per email across organisations', async () => {
    const throttled = await GatewayTestContext.start({ AUTH_LOGIN_MAX_FAILURES_PER_IP: '10000', AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' });
    try {
      const email = newEmail();
      const first = await throttled.signup({ email, organization: 'T1' });
      await throttled.signup({ email, organization: 'T2' });
      expect((await throttled.post('/api/v1/auth/login', { email, password: 'wrong one', organization: (first.tenant as Json).slug })).status).toBe(401);
      expect((await throttled.post('/api/v1/auth/login', { email, password: 'wrong two' })).status).toBe(401);
      expect((await throttled.post('/api/v1/auth/login', { email, password, organization: (first.tenant as Json).slug })).status).toBe(429);
    } finally {
      await throttled.close();
    }
  });
});
