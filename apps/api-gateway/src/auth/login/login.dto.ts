import { z } from 'zod';

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(256),
  /** The organisation's slug; needed only when the email and password match accounts in several. */
  organization: z.string().trim().toLowerCase().min(1).max(100).optional(),
});
export type LoginDto = z.output<typeof loginSchema>;
