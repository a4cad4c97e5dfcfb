import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** The tenant whose portal it is (the portal page knows it), and the customer's address. */
export const signInLinkBodySchema = z.object({ tenantId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'must be a tenant id'), email: z.email().max(254) });
export type SignInLinkBody = z.infer<typeof signInLinkBodySchema>;
export const portalSessionBodySchema = z.object({ token: z.string().min(20).max(200) });
export type PortalSessionBody = z.infer<typeof portalSessionBodySchema>;
export const portalSessionSchema = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() });

export const portalTicketBodySchema = z.object({ subject: z.string().trim().min(1).max(500), body: z.string().trim().min(1).max(100_000) });
export type PortalTicketBody = z.infer<typeof portalTicketBodySchema>;
export const portalReplyBodySchema = z.object({ body: z.string().trim().min(1).max(100_000) });
export type PortalReplyBody = z.infer<typeof portalReplyBodySchema>;
export const portalListQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type PortalListQuery = z.infer<typeof portalListQuerySchema>;
