import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'sales', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who asks: set by a gateway from a verified token and trusted by every service. */
export const actorSchema = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
});
export type Actor = z.infer<typeof actorSchema>;
