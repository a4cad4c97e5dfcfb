import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@crm/contracts';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { RequestRateLimiter } from './request-rate-limiter';

/**
 * Runs after authentication and authorisation on every route: counts the request against the
 * caller's user and tenant limits, tells the caller where it stands (RateLimit-* headers) and
 * refuses with 429 + Retry-After once either is spent. Public routes are not counted here
 * (login has its own throttle; there is no user or tenant to count against).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RequestRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) return true; // unreachable behind the JWT guard; nothing to count against
    const state = await this.limiter.consume(user.tenantId, user.userId);
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('ratelimit-limit', String(state.limit))
      .header('ratelimit-remaining', String(state.remaining))
      .header('ratelimit-reset', String(state.resetSeconds))
      .header('ratelimit-policy', this.limiter.policy);
    if (!state.allowed) {
      throw new DomainError('RATE_LIMITED', 'Too many requests. Try again later.', { retryAfterSeconds: state.resetSeconds });
    }
    return true;
  }
}
