import { ROLES } from '@crm/contracts';
import { z } from 'zod';
import type { AuthenticatedUser } from '../auth.types';

const userClaimsSchema = z.object({
  sub: z.string(),
  tid: z.string(),
  roles: z.array(z.enum(ROLES)),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
  sid: z.string().optional(),
  operator: z.never().optional(),
  portal: z.never().optional(),
});
const operatorClaimsSchema = z.object({
  sub: z.string(),
  operator: z.literal(true),
  tid: z.never().optional(),
  roles: z.array(z.never()).default([]),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
});
const customerClaimsSchema = z.object({
  sub: z.email(),
  tid: z.string().min(1),
  portal: z.literal(true),
  operator: z.never().optional(),
  roles: z.array(z.never()).default([]),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
});
const claimsSchema = z.union([userClaimsSchema, operatorClaimsSchema, customerClaimsSchema]);

/**
 * The caller an access token's verified claims name: a tenant user (tenant, roles, session), a
 * platform operator (`operator: true`, no tenant, no roles) or a portal customer (`portal: true`, a
 * tenant, their address, no roles); undefined when the claims are none of them
 * (a claim missing or of the wrong type, unknown roles, an operator token with a tenant).
 */
export function callerOfClaims(payload: unknown): AuthenticatedUser | undefined {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const claims = parsed.data;
  const token = { userId: claims.sub, jti: claims.jti, exp: claims.exp, iat: claims.iat };
  if ('portal' in claims && claims.portal) return { kind: 'customer', tenantId: claims.tid, roles: [], ...token };
  return claims.operator
    ? { kind: 'operator', tenantId: '', roles: [], ...token }
    : { kind: 'user', tenantId: claims.tid, roles: claims.roles, sid: claims.sid, ...token };
}
