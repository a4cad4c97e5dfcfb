import { z } from 'zod';

export const loginSchema = z.object({
  email: z.string().trim().min(1).max(320).transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(256),
});
export type LoginDto = z.output<typeof loginSchema>;
