import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor, DomainError } from '@crm/contracts';
import type { AuthenticatedUser } from '../auth/auth.types';

/** A signed-in portal customer: their tenant and address, from their verified portal token. */
export interface PortalCustomer {
  tenantId: string;
  email: string;
}

/** The portal customer of the request; anyone else is refused (the permission map already keeps users off portal routes). */
export const CurrentCustomer = createParamDecorator((_data: unknown, context: ExecutionContext): PortalCustomer => {
  const user = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
  if (user.kind !== 'customer') throw new DomainError('FORBIDDEN', 'This route is for signed-in portal customers.');
  return { tenantId: user.tenantId, email: user.userId };
});

/**
 * Who the gateway says calls for a portal customer: their tenant, no user and no role (the call
 * token it signs names exactly this); the customer's address goes in the request, from the token.
 */
export function portalActor(customer: PortalCustomer): Actor {
  return { tenantId: customer.tenantId, userId: 'portal-customer', roles: [] };
}
