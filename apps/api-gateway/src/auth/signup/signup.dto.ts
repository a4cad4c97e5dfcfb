import { z } from 'zod';

export const signupSchema = z.object({
  organization: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(12, 'must be at least 12 characters').max(256),
});
export type SignupDto = z.output<typeof signupSchema>;
