import { Controller, Get, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PasswordHasher } from '../../auth/identity/password-hasher';
import { IdentityRepository } from '../../auth/identity/identity.repository';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { expectProblem, GatewayTestContext, SignedUp } from '../../testing/gateway-test-app';

const PER_USER = 3;
const PER_TENANT = 5;

@Controller('test/rate-limit')
class RateLimitTestController {
  @Get('ping')
  @RequirePermission('diagnostics', 'read')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [RateLimitTestController] })
class RateLimitTestModule {}

const limits = { GATEWAY_RATE_LIMIT_PER_USER: String(PER_USER), GATEWAY_RATE_LIMIT_PER_TENANT: String(PER_TENANT), GATEWAY_RATE_LIMIT_WINDOW_MS: '60000' };

/** A second user in the admin's tenant, signed in. */
async function colleagueOf(ctx: GatewayTestContext, admin: SignedUp): Promise<string> {
  const email = `colleague-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'another horse battery staple';
  const passwordHash = await ctx.app.get(PasswordHasher).hash(password);
  await ctx.app.get(IdentityRepository).createUser({ tenantId: admin.tenant.id, email, name: 'Grace', passwordHash, roles: ['viewer'] });
  return (await ctx.login(email, password)).accessToken;
}

describe('rate limits per user and per tenant', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start(limits, [RateLimitTestModule]);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('tells the caller where it stands, then answers 429 with Retry-After once the user limit is spent', async () => {
    const ada = await ctx.signup();
    for (let remaining = PER_USER - 1; remaining >= 0; remaining--) {
      const response = await ctx.get('/test/rate-limit/ping', ada.accessToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe(String(PER_USER));
      expect(response.headers.get('ratelimit-remaining')).toBe(String(remaining));
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
      expect(response.headers.get('ratelimit-policy')).toBe(`${PER_USER};w=60, ${PER_TENANT};w=60`);
    }

    const refused = await ctx.get('/test/rate-limit/ping', ada.accessToken);
    const problem = await expectProblem(refused, 429);
    expect(problem.type).toBe('urn:crm:problem:rate-limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retryAfter));
  });

  it('counts every user of a tenant against the tenant limit, and other tenants not at all', async () => {
    const admin = await ctx.signup();
    const colleague = await colleagueOf(ctx, admin);
    // 3 (admin, its whole user limit) + 2 (colleague) = the tenant's 5.
    for (let i = 0; i < PER_USER; i++) expect((await ctx.get('/test/rate-limit/ping', admin.accessToken)).status).toBe(200);
    const fourth = await ctx.get('/test/rate-limit/ping', colleague);
    expect(fourth.status).toBe(200);
    // The tenant has 1 left, the colleague 2: the tighter one is reported.
    expect(fourth.headers.get('ratelimit-limit')).toBe(String(PER_TENANT));
    expect(fourth.headers.get('ratelimit-remaining')).toBe('1');
    expect((await ctx.get('/test/rate-limit/ping', colleague)).status).toBe(200);

    const refused = await ctx.get('/test/rate-limit/ping', colleague);
    await expectProblem(refused, 429);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(PER_TENANT));
    expect(refused.headers.get('retry-after')).not.toBeNull();

    const stranger = await ctx.signup();
    expect((await ctx.get('/test/rate-limit/ping', stranger.accessToken)).status).toBe(200);
  });

  it('does not count public routes', async () => {
    for (let i = 0; i < PER_TENANT + 1; i++) {
      const response = await ctx.get('/.well-known/jwks.json');
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});

describe('rate limits across gateway replicas', () => {
  let first: GatewayTestContext;
  let second: GatewayTestContext;

  beforeAll(async () => {
    first = await GatewayTestContext.start(limits, [RateLimitTestModule]);
    // Same database (so the same users) and the same Redis key prefix: a second replica of the first.
    second = await GatewayTestContext.start(
      { ...limits, API_GATEWAY_DATABASE_URL: first.config.API_GATEWAY_DATABASE_URL, AUTH_REDIS_PREFIX: first.config.AUTH_REDIS_PREFIX },
      [RateLimitTestModule],
    );
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('shares the counts: requests spread over two gateways hit the limit together', async () => {
    const ada = await first.signup();
    const replicas = [first, second, first];
    for (const [i, replica] of replicas.entries()) {
      const response = await replica.get('/test/rate-limit/ping', ada.accessToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-remaining')).toBe(String(PER_USER - 1 - i));
    }
    await expectProblem(await second.get('/test/rate-limit/ping', ada.accessToken), 429);
    await expectProblem(await first.get('/test/rate-limit/ping', ada.accessToken), 429);
  });
});
