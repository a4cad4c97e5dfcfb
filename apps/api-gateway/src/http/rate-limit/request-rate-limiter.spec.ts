import { createClient } from 'redis';
import type { RedisClient } from '@crm/observability';
import { DependencyUnavailableError } from '@crm/service-kit';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { AccessTokenDenylist } from '../../auth/tokens/access-token-denylist';
import { GATEWAY_REDIS_SCRIPTS } from './admit-request.script';
import { RequestRateLimiter } from './request-rate-limiter';
import { RedisAnswers } from '../../redis/redis-answers';
import { RedisDeadlineError } from '../../redis/shared-deadline';
import { RedisBehindProxy, redisBehindProxy } from '../../testing/redis-behind-proxy';

const caller: AuthenticatedUser = {
  kind: 'user',
  userId: 'u',
  tenantId: 't',
  roles: ['admin'],
  jti: 'j',
  exp: Date.now() / 1000 + 60,
  iat: Date.now() / 1000,
};

/** Redis unreachable (a client never connected: nothing listens on the port). */
describe('RequestRateLimiter without Redis', () => {
  const redis = createClient({ url: 'redis://127.0.0.1:1', scripts: GATEWAY_REDIS_SCRIPTS }) as unknown as RedisClient<typeof GATEWAY_REDIS_SCRIPTS>;
  const config = AppConfig.load({ GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: '3', GATEWAY_RATE_LIMIT_PER_USER: '3' });
  const answers = new RedisAnswers(config);
  const limiter = new RequestRateLimiter(redis, config, new AccessTokenDenylist(redis as unknown as RedisClient, config, answers), answers);

  it('keeps limiting public routes with the in-process insurance limiter instead of failing the request', async () => {
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await limiter.consumeByIp('public', '203.0.113.7'));
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false]);
    expect(states[3]).toMatchObject({ limit: 3, remaining: 0 });
    expect(states[3].resetSeconds).toBeGreaterThan(0);
    // Another address has its own budget.
    expect((await limiter.consumeByIp('public', '203.0.113.8')).allowed).toBe(true);
  });

  it("fails a signed-in caller's request: whether its token was revoked cannot be checked", async () => {
    await expect(limiter.admit(caller)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

/** Redis connected, then it stops answering (its answers held back by a proxy). */
describe('RequestRateLimiter when Redis hangs', () => {
  let behindProxy: RedisBehindProxy<RedisClient<typeof GATEWAY_REDIS_SCRIPTS>>;
  let limiter: RequestRateLimiter;

  beforeAll(async () => {
    behindProxy = await redisBehindProxy<RedisClient<typeof GATEWAY_REDIS_SCRIPTS>>({ scripts: GATEWAY_REDIS_SCRIPTS });
    const { proxy, redis } = behindProxy;
    const config = AppConfig.load({ GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: '2', GATEWAY_REDIS_DEADLINE_MS: '300', AUTH_REDIS_PREFIX: `t${Date.now()}:` });
    const answers = new RedisAnswers(config);
    limiter = new RequestRateLimiter(redis, config, new AccessTokenDenylist(redis as unknown as RedisClient, config, answers), answers);
    expect((await limiter.consumeByIp('public', '203.0.113.9')).allowed).toBe(true); // answered while Redis answers
    proxy.hold();
  });

  afterAll(() => behindProxy.close());

  it("fails a signed-in caller's request at the deadline instead of holding it", async () => {
    const failure = await limiter.admit(caller).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(failure?.cause).toBeInstanceOf(RedisDeadlineError);
  });

  it('counts a public route in the process once the deadline passes', async () => {
    const states = [];
    for (let i = 0; i < 3; i++) states.push(await limiter.consumeByIp('public', '203.0.113.10'));
    expect(states.map((s) => s.allowed)).toEqual([true, true, false]);
  });
});
