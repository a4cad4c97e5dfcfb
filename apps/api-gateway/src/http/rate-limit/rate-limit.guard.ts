import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@crm/contracts';
import { IS_PUBLIC_KEY, NOT_RATE_LIMITED_KEY } from '@crm/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { PUBLIC_RATE_LIMIT_POLICY_KEY } from './public-rate-limit.decorator';
import { PublicRateLimitPolicy, RateLimitState, RequestRateLimiter } from './request-rate-limiter';

/**
 * Runs after authentication and authorisation on every route: in one Redis round trip, refuses a
 * revoked access token (UNAUTHENTICATED) and counts the request against the caller's user and
 * tenant limits; tells the caller where it stands (RateLimit-* headers) and refuses with 429 +
 * Retry-After once either is spent.
 * Public routes (login, refresh, sign-up, any future one) have no user or tenant: they are counted
 * per client IP address instead (`request.ip`: the socket's, or the one the trusted proxies
 * forwarded), sign-up with its own stricter budget (@PublicRateLimit('signup')). Probes, keys
 * and scrapes (@NotRateLimited()) are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RequestRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const counted = !this.reflector.getAllAndOverride<boolean>(NOT_RATE_LIMITED_KEY, targets);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) {
      if (!counted) return true;
      const policy = this.reflector.getAllAndOverride<PublicRateLimitPolicy | undefined>(PUBLIC_RATE_LIMIT_POLICY_KEY, targets) ?? 'public';
      const { ip } = context.switchToHttp().getRequest<FastifyRequest>();
      return this.enforce(context, await this.limiter.consumeByIp(policy, ip), this.limiter.ipPolicy(policy));
    }
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) return true; // unreachable behind the JWT guard; nothing to count against
    const admission = await this.limiter.admit(user, counted);
    if (admission === 'revoked') throw new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
    return admission === null || this.enforce(context, admission, this.limiter.policy);
  }

  private enforce(context: ExecutionContext, state: RateLimitState, policy: string): true {
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('ratelimit-limit', String(state.limit))
      .header('ratelimit-remaining', String(state.remaining))
      .header('ratelimit-reset', String(state.resetSeconds))
      .header('ratelimit-policy', policy);
    if (!state.allowed) {
      throw new DomainError('RATE_LIMITED', 'Too many requests. Try again later.', { retryAfterSeconds: state.resetSeconds });
    }
    return true;
  }
}
