import { DomainError, Role } from '@crm/contracts';
import type { RpcCallContext } from '@crm/messaging';

/**
 * For data-subject requests the service checks the caller's roles itself, next to the gateway's
 * permission map: personal data leaves or goes for good only at an admin's or manager's request,
 * whoever sends the command.
 */
export function requireRole(context: RpcCallContext, roles: readonly Role[]): void {
  if (!context.actor?.roles.some((role) => roles.includes(role))) {
    throw new DomainError('FORBIDDEN', `Only ${roles.join(' or ')} may do this.`);
  }
}
