import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '@crm/contracts';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { AuthenticatedUser } from '../auth.types';

/**
 * Global guard: a valid access token (JwtStrategy, passport-jwt) on every route not marked
 * @Public(); the caller lands on `request.user`. Any refusal (no token, a bad signature or
 * algorithm, another issuer or audience, expired, malformed claims) is UNAUTHENTICATED (401).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false): TUser {
    // `error`: the strategy itself failed (a bug, not the caller's token): let it surface as a 500.
    if (error) throw error;
    if (!user) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
    return user;
  }
}
