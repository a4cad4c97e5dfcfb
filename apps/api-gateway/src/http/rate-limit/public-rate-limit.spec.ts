import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { AppConfig } from '../../app.config';
import { expectProblem, GatewayTestContext } from '../../testing/gateway-test-app';

const PER_IP = 3;
const SIGNUP_PER_IP = 2;
const limits = {
  GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: String(PER_IP),
  GATEWAY_PUBLIC_RATE_LIMIT_WINDOW_MS: '60000',
  GATEWAY_SIGNUP_RATE_LIMIT_PER_IP: String(SIGNUP_PER_IP),
  GATEWAY_SIGNUP_RATE_LIMIT_WINDOW_MS: '3600000',
};

/** A login that fails validation (400) still counts: the limit runs before anything else. */
const login = (ctx: GatewayTestContext, headers: Record<string, string> = {}) =>
  ctx.post('/api/v1/auth/login', { email: `nobody-${randomUUID()}@example.com`, password: 'wrong password!' }, undefined, headers);
const signup = (ctx: GatewayTestContext, headers: Record<string, string> = {}) =>
  ctx.post(
    '/api/v1/auth/signup',
    { organization: 'Acme', name: 'Ada', email: `ada-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
    undefined,
    headers,
  );

describe('public routes: per client IP limits behind a trusted proxy', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    // The test client connects from 127.0.0.1: it plays the ingress, forwarding two clients.
    ctx = await GatewayTestContext.start({ ...limits, GATEWAY_TRUSTED_PROXIES: '127.0.0.1' });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('limits one client address (429, Retry-After, RateLimit-*) and not another behind the same proxy', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    const neighbour = { 'x-forwarded-for': '198.51.100.9' };
    for (let remaining = PER_IP - 1; remaining >= 0; remaining--) {
      const response = await login(ctx, attacker);
      expect(response.status).toBe(401);
      expect(response.headers.get('ratelimit-limit')).toBe(String(PER_IP));
      expect(response.headers.get('ratelimit-remaining')).toBe(String(remaining));
      expect(response.headers.get('ratelimit-policy')).toBe(`${PER_IP};w=60`);
    }
    const refused = await login(ctx, attacker);
    const problem = await expectProblem(refused, 429);
    expect(problem.type).toBe('urn:crm:problem:rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Refresh shares the budget of the credential routes.
    await expectProblem(await ctx.post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(40) }, undefined, attacker), 429);

    expect((await login(ctx, neighbour)).status).toBe(401);
  });

  it('gives sign-up its own, stricter budget', async () => {
    const client = { 'x-forwarded-for': '192.0.2.44' };
    for (let i = 0; i < SIGNUP_PER_IP; i++) expect((await signup(ctx, client)).status).toBe(201);
    const refused = await signup(ctx, client);
    await expectProblem(refused, 429);
    expect(refused.headers.get('ratelimit-policy')).toBe(`${SIGNUP_PER_IP};w=3600`);
    expect((await signup(ctx, { 'x-forwarded-for': '192.0.2.45' })).status).toBe(201);
  });

  it('does not limit health, JWKS or docs', async () => {
    for (let i = 0; i < PER_IP + 2; i++) {
      for (const path of ['/health/live', '/.well-known/jwks.json', '/docs-json']) {
        const response = await ctx.get(path, undefined, { 'x-forwarded-for': '203.0.113.99' });
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        expect(response.headers.get('ratelimit-limit')).toBeNull();
      }
    }
  });
});

describe('public routes without a trusted proxy', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start(limits);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('counts the socket address: a forged X-Forwarded-For does not escape the limit', async () => {
    for (let i = 0; i < PER_IP; i++) expect((await login(ctx, { 'x-forwarded-for': `203.0.113.${i + 1}` })).status).toBe(401);
    await expectProblem(await login(ctx, { 'x-forwarded-for': '203.0.113.200' }), 429);
    await expectProblem(await login(ctx), 429);
  });
});

describe('sign-up in production', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const production = {
    NODE_ENV: 'production',
    AUTH_JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    AUTH_JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };

  it('is off unless AUTH_SIGNUP_ENABLED=true says otherwise; on by default elsewhere', () => {
    expect(AppConfig.load(production).AUTH_SIGNUP_ENABLED).toBe(false);
    expect(AppConfig.load({ ...production, AUTH_SIGNUP_ENABLED: 'true' }).AUTH_SIGNUP_ENABLED).toBe(true);
    expect(AppConfig.load({ NODE_ENV: 'development' }).AUTH_SIGNUP_ENABLED).toBe(true);
    expect(AppConfig.load({ NODE_ENV: 'development', AUTH_SIGNUP_ENABLED: 'false' }).AUTH_SIGNUP_ENABLED).toBe(false);
  });

  it('answers 403 to a sign-up on a production gateway left at its defaults', async () => {
    const ctx = await GatewayTestContext.start(production);
    try {
      await expectProblem(await signup(ctx), 403);
    } finally {
      await ctx.close();
    }
  });
});

describe('GATEWAY_TRUSTED_PROXIES', () => {
  it('accepts addresses and CIDR ranges, and names a bad entry', () => {
    expect(AppConfig.load({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1' }).GATEWAY_TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(AppConfig.load({}).GATEWAY_TRUSTED_PROXIES).toEqual([]);
    expect(() => AppConfig.load({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow(/GATEWAY_TRUSTED_PROXIES/);
    expect(() => AppConfig.load({ GATEWAY_TRUSTED_PROXIES: 'ingress.local' })).toThrow(/GATEWAY_TRUSTED_PROXIES/);
  });
});
