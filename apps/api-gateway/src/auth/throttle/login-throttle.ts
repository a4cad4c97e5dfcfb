import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { REDIS, type RedisClient } from '@crm/observability';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../app.config';
import { RedisAnswers } from '../../redis/redis-answers';

/**
 * Sign-in attempts counted in Redis per account and per IP address (so the limit holds across
 * gateway replicas). An attempt is taken atomically BEFORE the password is checked (`consume`),
 * so concurrent guesses cannot all pass a check made before any failure is counted; a success
 * gives it back. Once either is spent, attempts get 429 until the window ends.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    config: AppConfig,
    private readonly answers: RedisAnswers,
  ) {
    const duration = Math.ceil(config.AUTH_LOGIN_FAILURE_WINDOW_MS / 1000);
    const prefix = `${config.AUTH_REDIS_PREFIX}login-failures`;
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      keyPrefix: `${prefix}:account`,
      points: config.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      duration,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      keyPrefix: `${prefix}:ip`,
      points: config.AUTH_LOGIN_MAX_FAILURES_PER_IP,
      duration,
    });
  }

  /**
   * Takes one attempt from the IP, then from the account (one atomic Redis increment each);
   * throws RATE_LIMITED (with the seconds to wait) when either has none left. The IP goes first:
   * an address already refused does not spend the account's attempts (locking its owner out).
   * Redis down or not answering: DependencyUnavailableError (503), as attempts cannot be counted.
   */
  async consume(account: string, ip: string): Promise<void> {
    await this.take(this.byIp, ip);
    await this.take(this.byAccount, account);
  }

  /**
   * A successful sign-in clears the account's count and gives the IP its attempt back (one
   * success must not unlock guessing from that address: its failures stay counted).
   */
  async recordSuccess(account: string, ip: string): Promise<void> {
    await this.answers.of(Promise.all([this.byAccount.delete(account), this.byIp.reward(ip, 1)]));
  }

  private async take(limiter: RateLimiterRedis, key: string): Promise<void> {
    try {
      await this.answers.of(limiter.consume(key, 1));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new DomainError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', { retryAfterSeconds });
    }
  }
}
