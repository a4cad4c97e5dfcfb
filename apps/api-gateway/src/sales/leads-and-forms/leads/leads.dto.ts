import { convertLead, disqualifyLead, leadInputSchema, leadListFilterSchema, leadPatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../../http/query-schemas';

export const createLeadBodySchema = leadInputSchema;
export type CreateLeadBody = z.infer<typeof createLeadBodySchema>;

export const updateLeadBodySchema = leadPatchSchema;
export type UpdateLeadBody = z.infer<typeof updateLeadBodySchema>;

/** GET /leads: filters (status, owner, source, q), cursor, limit; newest first. */
export const listLeadsQuerySchema = leadListFilterSchema.extend({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type ListLeadsQuery = z.infer<typeof listLeadsQuerySchema>;

export const disqualifyLeadBodySchema = disqualifyLead.request.pick({ reason: true });
export type DisqualifyLeadBody = z.infer<typeof disqualifyLeadBodySchema>;

export const convertLeadBodySchema = convertLead.request.pick({ createDeal: true, createCompany: true });
export type ConvertLeadBody = z.infer<typeof convertLeadBodySchema>;
