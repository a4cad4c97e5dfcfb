import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor, DomainError } from '@crm/contracts';
import type { AuthenticatedUser } from '../auth/auth.types';

/** The caller as the services see it: tenant, user and roles, from the verified token. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const user = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
  // The permission map already keeps operators off tenant routes; never give one a tenant's voice.
  if (user.kind !== 'user') throw new DomainError('FORBIDDEN', 'This route is for users of an organisation.');
  return { tenantId: user.tenantId, userId: user.userId, roles: user.roles };
});
