import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { REDIS } from '@crm/observability';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../app.config';

/**
 * Failed logins counted in Redis per account and per IP address (so the limit holds across
 * gateway replicas). Once either reaches its limit, attempts get 429 until the window ends.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    const duration = Math.ceil(config.AUTH_LOGIN_FAILURE_WINDOW_MS / 1000);
    const prefix = `${config.AUTH_REDIS_PREFIX}login-failures`;
    this.byAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:account`, points: config.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT, duration });
    this.byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:ip`, points: config.AUTH_LOGIN_MAX_FAILURES_PER_IP, duration });
  }

  /** Throws RATE_LIMITED (with the seconds to wait) when the account or the IP is over its limit. */
  async check(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    const waits = [
      overLimit(account, this.byAccount.points),
      overLimit(address, this.byIp.points),
    ].filter((ms): ms is number => ms !== undefined);
    if (waits.length) {
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw new DomainError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', { retryAfterSeconds });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.penalty(email, 1), this.byIp.penalty(ip, 1)]);
  }

  /** A successful login clears the account's count (not the IP's: one success must not unlock guessing). */
  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}

function overLimit(res: RateLimiterRes | null, points: number): number | undefined {
  return res && res.consumedPoints >= points ? res.msBeforeNext : undefined;
}
