import { DomainError } from '@crm/contracts';
import type { RpcCallContext } from '@crm/messaging';

/** The tenant every query and write of a request is scoped by; no actor, no access. */
export function tenantOf(context: RpcCallContext): string {
  const tenantId = context.actor?.tenantId;
  if (!tenantId) throw new DomainError('UNAUTHENTICATED', 'An actor is required.');
  return tenantId;
}
