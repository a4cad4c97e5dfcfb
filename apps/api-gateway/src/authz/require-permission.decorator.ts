import { SetMetadata } from '@nestjs/common';
import type { Action, Resource } from './permissions';

export const PERMISSION_KEY = 'crm:permission';

export interface RequiredPermission {
  resource: Resource;
  action: Action;
}

/** Declares what a route needs from the permission map; every non-public route must carry one. */
export const RequirePermission = (resource: Resource, action: Action) => SetMetadata(PERMISSION_KEY, { resource, action } satisfies RequiredPermission);
