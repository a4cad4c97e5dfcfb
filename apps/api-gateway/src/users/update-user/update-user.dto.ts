import { z } from 'zod';
import { userNameSchema, userRolesSchema } from '../user-fields';

export const updateUserSchema = z
  .object({
    name: userNameSchema.optional(),
    roles: userRolesSchema.optional(),
    // Activation revokes sessions, so it is an action of its own, not a field to patch.
    active: z.undefined({ error: 'cannot be patched: use POST /api/v1/users/{id}/deactivate or /activate' }).optional(),
  })
  .refine((body) => body.name !== undefined || body.roles !== undefined, { message: 'give at least one of name, roles', path: ['name'] });
export type UpdateUserDto = z.output<typeof updateUserSchema>;
