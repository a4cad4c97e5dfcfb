import { z } from 'zod';

export const operatorLoginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(256),
});
export type OperatorLoginDto = z.output<typeof operatorLoginSchema>;

export const operatorTokenSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number().int().meta({ description: 'Seconds. No refresh token: sign in again when it expires.' }),
});
