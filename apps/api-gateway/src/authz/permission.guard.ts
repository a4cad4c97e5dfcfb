import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@crm/contracts';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { AuthenticatedUser } from '../auth/auth.types';
import { AccessTokenDenylist } from '../auth/tokens/access-token-denylist';
import { Grantee, isAllowed, PLATFORM_OPERATOR, PORTAL_CUSTOMER } from './permissions';
import { PERMISSION_KEY, RequiredPermission } from './require-permission.decorator';

/**
 * Runs after the JWT guard on every route. Public routes pass; every other route must declare
 * a permission, and a route that forgot to is refused (deny by default) and logged.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly logger = new Logger(PermissionGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly denylist: AccessTokenDenylist,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<never> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<RequiredPermission | undefined>(PERMISSION_KEY, targets);
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!required) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no permission; refused`);
      return this.refuse(user, new DomainError('FORBIDDEN', 'You are not allowed to do this.'));
    }
    if (!user || !isAllowed(granteesOf(user), required.resource, required.action)) {
      return this.refuse(user, new DomainError('FORBIDDEN', `Your role does not allow ${required.action} on ${required.resource}.`));
    }
    return true;
  }

  /**
   * A revoked token is refused as unauthenticated (401) whatever the route: allowed requests have
   * it checked with their rate limits (RateLimitGuard, one Redis round trip), refused ones here.
   */
  private async refuse(user: AuthenticatedUser | undefined, forbidden: DomainError): Promise<never> {
    if (user && (await this.denylist.isRefused(user))) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
    throw forbidden;
  }
}

/** A platform operator holds the operator's entry alone, a portal customer the portal's; a tenant user, its roles' entries. */
function granteesOf(user: AuthenticatedUser): readonly Grantee[] {
  if (user.kind === 'operator') return [PLATFORM_OPERATOR];
  if (user.kind === 'customer') return [PORTAL_CUSTOMER];
  return user.roles;
}
