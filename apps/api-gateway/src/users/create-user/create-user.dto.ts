import { z } from 'zod';
import { userNameSchema, userRolesSchema } from '../user-fields';

export const createUserSchema = z.object({
  // Normalised as sign-up does: emails are unique case-insensitively, within an organisation.
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase()),
  name: userNameSchema,
  password: z.string().min(12, 'must be at least 12 characters').max(256),
  roles: userRolesSchema,
});
export type CreateUserDto = z.output<typeof createUserSchema>;
