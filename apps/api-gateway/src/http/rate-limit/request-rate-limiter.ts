import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@crm/observability';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { AccessTokenDenylist } from '../../auth/tokens/access-token-denylist';
import { RedisAnswers } from '../../redis/redis-answers';
import { CounterSpec, GATEWAY_REDIS_SCRIPTS } from './admit-request.script';

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

interface Budget {
  keyPrefix: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Requests counted in Redis over fixed windows, so the limits hold across gateway replicas: per
 * user and per tenant for a signed-in caller, per client IP address on public routes. The user's
 * limit is taken first: a user over it is refused without spending the tenant's budget, so one
 * busy user cannot lock out their colleagues.
 *
 * One Redis round trip per request (the ADMIT_REQUEST script): a signed-in caller's token is
 * checked against the denylist in the same script that takes from its budgets.
 */
@Injectable()
export class RequestRateLimiter {
  private readonly byUser: Budget;
  private readonly byTenant: Budget;
  private readonly byIp: Record<PublicRateLimitPolicy, Budget>;
  /** Public routes while Redis is unreachable: counted in this process instead of failing every request. */
  private readonly insurance: Record<PublicRateLimitPolicy, RateLimiterMemory>;
  /** The client every request's script goes through: bounded by RedisAnswers' shared deadline, without a timer of node-redis's per command. */
  private readonly redis: RedisClient<typeof GATEWAY_REDIS_SCRIPTS>;

  constructor(
    @Inject(REDIS) redis: RedisClient<typeof GATEWAY_REDIS_SCRIPTS>,
    config: AppConfig,
    private readonly denylist: AccessTokenDenylist,
    private readonly answers: RedisAnswers,
  ) {
    this.redis = redis.withCommandOptions({ timeout: 0 }) as RedisClient<typeof GATEWAY_REDIS_SCRIPTS>;
    const budget = (scope: string, limit: number, windowMs: number): Budget => ({
      // rate-limiter-flexible's key layout (`<keyPrefix>:<key>`), kept across the change.
      keyPrefix: `${config.AUTH_REDIS_PREFIX}rate-limit:${scope}:`,
      limit,
      windowSeconds: Math.ceil(windowMs / 1000),
    });
    this.byUser = budget('user', config.GATEWAY_RATE_LIMIT_PER_USER, config.GATEWAY_RATE_LIMIT_WINDOW_MS);
    this.byTenant = budget('tenant', config.GATEWAY_RATE_LIMIT_PER_TENANT, config.GATEWAY_RATE_LIMIT_WINDOW_MS);
    this.byIp = {
      public: budget('ip:public', config.GATEWAY_PUBLIC_RATE_LIMIT_PER_IP, config.GATEWAY_PUBLIC_RATE_LIMIT_WINDOW_MS),
      signup: budget('ip:signup', config.GATEWAY_SIGNUP_RATE_LIMIT_PER_IP, config.GATEWAY_SIGNUP_RATE_LIMIT_WINDOW_MS),
    };
    const inMemory = ({ keyPrefix, limit, windowSeconds }: Budget) => new RateLimiterMemory({ keyPrefix, points: limit, duration: windowSeconds });
    this.insurance = { public: inMemory(this.byIp.public), signup: inMemory(this.byIp.signup) };
  }

  /** `RateLimit-Policy` value of a public route's budget. */
  ipPolicy(policy: PublicRateLimitPolicy): string {
    return `${this.byIp[policy].limit};w=${this.byIp[policy].windowSeconds}`;
  }

  /** `RateLimit-Policy` value of a signed-in caller's budgets: both quotas and their window. */
  get policy(): string {
    return `${this.byUser.limit};w=${this.byUser.windowSeconds}, ${this.byTenant.limit};w=${this.byTenant.windowSeconds}`;
  }

  /**
   * Admits one request of a signed-in caller: 'revoked' when its token is refused (nothing
   * counted), else where it stands against its user and tenant limits (null: the route is not
   * counted, only the token checked). Redis down or not answering within the deadline:
   * DependencyUnavailableError (503), as the revocation cannot be checked.
   */
  async admit(caller: AuthenticatedUser, counted = true): Promise<RateLimitState | 'revoked' | null> {
    const counters = counted ? [counter(this.byUser, `${caller.tenantId}:${caller.userId}`), counter(this.byTenant, caller.tenantId)] : [];
    const reply = await this.answers.of(this.redis.admitRequest({ revocation: this.denylist.keysOf(caller), counters }));
    if (reply[0] === -1) return 'revoked';
    if (!counted) return null;
    const user = stateOf(reply, 0, this.byUser);
    if (!user.allowed) return user;
    const tenant = stateOf(reply, 1, this.byTenant);
    if (!tenant.allowed) return tenant;
    return tenant.remaining < user.remaining ? tenant : user;
  }

  /** Counts one request to a public route from `ip` (the client address, as the trusted proxies tell it). */
  async consumeByIp(policy: PublicRateLimitPolicy, ip: string): Promise<RateLimitState> {
    const budget = this.byIp[policy];
    let reply: number[];
    try {
      reply = await this.answers.of(this.redis.admitRequest({ counters: [counter(budget, ip)] }));
    } catch {
      return takeInMemory(this.insurance[policy], ip, budget.limit);
    }
    return stateOf(reply, 0, budget);
  }
}

function counter({ keyPrefix, limit, windowSeconds }: Budget, key: string): CounterSpec {
  return { key: `${keyPrefix}${key}`, limit, windowSeconds };
}

/** The state after the script took from the `index`-th counter (reply: count, ms to reset, per counter). */
function stateOf(reply: number[], index: number, { limit }: Budget): RateLimitState {
  const count = reply[2 * index];
  const msToReset = reply[2 * index + 1];
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Math.ceil(msToReset / 1000)) };
}

async function takeInMemory(limiter: RateLimiterMemory, key: string, limit: number): Promise<RateLimitState> {
  let res: RateLimiterRes;
  let allowed = true;
  try {
    res = await limiter.consume(key);
  } catch (rejection) {
    // consume() rejects with a RateLimiterRes when over the limit.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    res = rejection;
    allowed = false;
  }
  return { allowed, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}
