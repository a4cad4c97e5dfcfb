import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import type { RedisClient } from '@crm/observability';
import { DependencyUnavailableError } from '@crm/service-kit';
import type { HoldingProxy } from '@crm/testing';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../app.config';
import { AccessTokenDenylist } from '../auth/tokens/access-token-denylist';
import { LoginThrottle } from '../auth/throttle/login-throttle';
import { IdempotencyRecords } from '../http/idempotency/idempotency-records';
import { RedisAnswers } from './redis-answers';
import { RedisDeadlineError } from './shared-deadline';
import { RedisBehindProxy, redisBehindProxy } from '../testing/redis-behind-proxy';

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** What reaches a request when Redis cannot answer it: DependencyUnavailableError (503), never the client's own error (500). */
describe('RedisAnswers', () => {
  const config = AppConfig.load({ GATEWAY_REDIS_DEADLINE_MS: '300', AUTH_REDIS_PREFIX: `t${Date.now()}:` });
  const answers = new RedisAnswers(config);

  describe('with Redis unreachable', () => {
    // Never connected: every command fails at once, as with the gateway's client while Redis is down (disableOfflineQueue).
    const redis = createClient({ url: 'redis://127.0.0.1:1' }) as unknown as RedisClient;

    it("fails a command with DependencyUnavailableError, caused by the client's error", async () => {
      const failure = await failureOf(answers.of(redis.get('k')));
      expect(failure).toBeInstanceOf(DependencyUnavailableError);
      expect((failure as Error).cause).toBeInstanceOf(Error);
    });

    it('fails sign-in attempts, a logout and an Idempotency-Key reservation the same way', async () => {
      const throttle = new LoginThrottle(redis, config, answers);
      const denylist = new AccessTokenDenylist(redis, config, answers);
      const records = new IdempotencyRecords(redis, config, answers);
      expect(await failureOf(throttle.consume('ada@example.com', '203.0.113.1'))).toBeInstanceOf(DependencyUnavailableError);
      expect(await failureOf(throttle.recordSuccess('ada@example.com', '203.0.113.1'))).toBeInstanceOf(DependencyUnavailableError);
      expect(await failureOf(denylist.revoke('jti', Date.now() / 1000 + 60))).toBeInstanceOf(DependencyUnavailableError);
      expect(await failureOf(denylist.revokeSession('sid'))).toBeInstanceOf(DependencyUnavailableError);
      expect(await failureOf(records.reserve('key', 'fingerprint'))).toBeInstanceOf(DependencyUnavailableError);
    });
  });

  describe('with Redis answering, then hanging', () => {
    let behindProxy: RedisBehindProxy<RedisClientType>;
    let proxy: HoldingProxy;
    let redis: RedisClientType;

    beforeAll(async () => {
      behindProxy = await redisBehindProxy();
      ({ proxy, redis } = behindProxy);
    });

    afterAll(() => behindProxy.close());

    it("passes Redis's error replies on as they are (a bad command is a bug, not an outage)", async () => {
      const failure = await failureOf(answers.of(redis.eval('return redis.call("NO-SUCH-COMMAND")')));
      expect(failure).toBeInstanceOf(ErrorReply);
    });

    it("passes a rejection that is not an Error on as it is (rate-limiter-flexible's over the limit)", async () => {
      const limiter = new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, keyPrefix: `${config.AUTH_REDIS_PREFIX}answers`, points: 1, duration: 60 });
      await answers.of(limiter.consume('k'));
      expect(await failureOf(answers.of(limiter.consume('k')))).toBeInstanceOf(RateLimiterRes);
    });

    it('fails a command Redis does not answer at the deadline, with DependencyUnavailableError', async () => {
      proxy.hold();
      const failure = await failureOf(answers.of(redis.ping()));
      proxy.release();
      expect(failure).toBeInstanceOf(DependencyUnavailableError);
      expect((failure as Error).cause).toBeInstanceOf(RedisDeadlineError);
      expect(await answers.of(redis.ping())).toBe('PONG');
    });
  });
});
