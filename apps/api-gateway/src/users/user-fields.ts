import { ROLES } from '@crm/contracts';
import { z } from 'zod';

/** Fields shared by the create and update bodies. */
export const userNameSchema = z.string().trim().min(1).max(200);

/** At least one known role; duplicates are dropped. */
export const userRolesSchema = z
  .array(z.enum(ROLES))
  .min(1, 'must contain at least one role')
  .max(ROLES.length)
  .transform((roles) => [...new Set(roles)]);
