import { ROLES } from '@crm/contracts';
import { z } from 'zod';
import { decodeUserCursor } from './user-cursor';

/** Query string of GET /users (every value arrives as a string). */
export const listUsersQuerySchema = z.object({
  role: z.enum(ROLES).optional(),
  active: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  // Contained in the name or the email, case-insensitively.
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .transform((value, context) => {
      const cursor = decodeUserCursor(value);
      if (!cursor) context.addIssue({ code: 'custom', message: 'is not a cursor this endpoint returned' });
      return cursor ?? z.NEVER;
    })
    .optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;
