import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@crm/contracts';
import type { AuthenticatedUser } from '../auth/auth.types';

/** The caller as the services see it: tenant, user and roles, from the verified token. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const user = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
  return { tenantId: user.tenantId, userId: user.userId, roles: user.roles };
});
