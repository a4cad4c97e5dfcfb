import Redis from 'ioredis';
import { AppConfig } from '../../app.config';
import { RequestRateLimiter } from './request-rate-limiter';

/** Redis unreachable (nothing listens on the port): requests are still counted, per process. */
describe('RequestRateLimiter without Redis', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
  });

  afterAll(() => redis.disconnect());

  it('keeps limiting with the in-process insurance limiter instead of failing the request', async () => {
    const config = AppConfig.load({ GATEWAY_RATE_LIMIT_PER_USER: '3', GATEWAY_RATE_LIMIT_PER_TENANT: '100' });
    const limiter = new RequestRateLimiter(redis, config);
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await limiter.consume('tenant-a', 'user-a'));
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false]);
    expect(states[3]).toMatchObject({ limit: 3, remaining: 0 });
    expect(states[3].resetSeconds).toBeGreaterThan(0);
    // Another user of the same tenant still has their own budget.
    expect((await limiter.consume('tenant-a', 'user-b')).allowed).toBe(true);
  });
});
