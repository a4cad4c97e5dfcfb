import { SetMetadata } from '@nestjs/common';
import type { ErpScope } from './erp-client';

export const REQUIRED_SCOPE_KEY = 'erpRequiredScope';

/**
 * The scope an /erp route needs (one per route; a route whose scope depends on its path, such as
 * an upsert of `:object`, declares `'by-object'` and checks with `assertScope`). Every route is
 * refused unless it declares a scope or @Public(): route-guarding.spec.ts walks the router.
 */
export const RequireScope = (scope: ErpScope | 'by-object') => SetMetadata(REQUIRED_SCOPE_KEY, scope);
