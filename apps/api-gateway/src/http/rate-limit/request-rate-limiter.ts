import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@crm/observability';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../app.config';

/** What the caller is told about the tightest of its limits (IETF RateLimit header fields). */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window of that limit ends. */
  resetSeconds: number;
}

/** The budgets of public routes, per client IP address: credential routes in general, and sign-up. */
export type PublicRateLimitPolicy = 'public' | 'signup';

/**
 * Requests counted in Redis per user and per tenant over a fixed window, so the limits hold
 * across gateway replicas. The user's limit is checked first: a user over it is refused
 * without spending the tenant's budget, so one busy user cannot lock out their colleagues.
 */
@Injectable()
export class RequestRateLimiter {
  private readonly byUser: RateLimiterRedis;
  private readonly byTenant: RateLimiterRedis;
  private readonly byIp: Record<PublicRateLimitPolicy, RateLimiterRedis>;
  readonly windowSeconds: number;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    this.windowSeconds = Math.ceil(config.GATEWAY_RATE_LIMIT_WINDOW_MS / 1000);
    const prefix = `${config.AUTH_REDIS_PREFIX}rate-limit`;
    const limiter = (scope: string, points: number, duration = this.windowSeconds) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${scope}`,
        points,
        duration,
        // Redis down: fail fast, and count in this process meanwhile instead of failing every request.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${scope}`, points, duration }),
      });
    this.byUser = limiter('user', config.GATEWAY_RATE_LIMIT_PER_USER);
    this.byTenant = limiter('tenant', config.GATEWAY_RATE_LIMIT_PER_TENANT);
    this.byIp = {
      public: limiter('ip:public', config.GATEWAY_PUBLIC_RATE_LIMIT_PER_IP, Math.ceil(config.GATEWAY_PUBLIC_RATE_LIMIT_WINDOW_MS / 1000)),
      signup: limiter('ip:signup', config.GATEWAY_SIGNUP_RATE_LIMIT_PER_IP, Math.ceil(config.GATEWAY_SIGNUP_RATE_LIMIT_WINDOW_MS / 1000)),
    };
  }

  /** `RateLimit-Policy` value of a public route's budget. */
  ipPolicy(policy: PublicRateLimitPolicy): string {
    return `${this.byIp[policy].points};w=${this.byIp[policy].duration}`;
  }

  /** Counts one request to a public route from `ip` (the client address, as the trusted proxies tell it). */
  consumeByIp(policy: PublicRateLimitPolicy, ip: string): Promise<RateLimitState> {
    return attempt(this.byIp[policy], ip);
  }

  /** `RateLimit-Policy` value: both quotas and their window. */
  get policy(): string {
    return `${this.byUser.points};w=${this.windowSeconds}, ${this.byTenant.points};w=${this.windowSeconds}`;
  }

  /** Counts one request. While Redis is unreachable each replica counts on its own (the insurance limiter). */
  async consume(tenantId: string, userId: string): Promise<RateLimitState> {
    const user = await attempt(this.byUser, `${tenantId}:${userId}`);
    if (!user.allowed) return user;
    const tenant = await attempt(this.byTenant, tenantId);
    if (!tenant.allowed) return tenant;
    return tenant.remaining < user.remaining ? tenant : user;
  }
}

async function attempt(limiter: RateLimiterRedis, key: string): Promise<RateLimitState> {
  try {
    return stateOf(await limiter.consume(key), limiter.points, true);
  } catch (rejection) {
    // consume() rejects with a RateLimiterRes when over the limit, with an Error when Redis fails.
    if (rejection instanceof RateLimiterRes) return stateOf(rejection, limiter.points, false);
    throw rejection;
  }
}

function stateOf(res: RateLimiterRes, limit: number, allowed: boolean): RateLimitState {
  return { allowed, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}
