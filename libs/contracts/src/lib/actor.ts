import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'sales', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who asks. Never sent as such: the gateway forwards the caller's signed access token with each
 * command or query, and the serving side builds the actor from the claims it verified itself
 * (libs/messaging CallerVerifier: `sub`, `tid`, `roles`).
 */
export const actorSchema = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
});
export type Actor = z.infer<typeof actorSchema>;
