import { z } from 'zod';

/** `:id` of /users/:id. A malformed id is a 400 naming `id`, never a database error. */
export const userIdParamsSchema = z.object({ id: z.uuid() });
export type UserIdParams = z.output<typeof userIdParamsSchema>;
