import { DEAL_SORTS, dealInputSchema, dealListFilterSchema, dealPatchSchema, loseDeal, moveDeal } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../../http/query-schemas';

export const createDealBodySchema = dealInputSchema;
export type CreateDealBody = z.infer<typeof createDealBodySchema>;

export const updateDealBodySchema = dealPatchSchema;
export type UpdateDealBody = z.infer<typeof updateDealBodySchema>;

/** GET /deals: filters, sort (`position` is the board: one stage of one pipeline, open deals in drag order), cursor, limit. */
export const listDealsQuerySchema = dealListFilterSchema.extend({
  sort: z.enum(DEAL_SORTS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListDealsQuery = z.infer<typeof listDealsQuerySchema>;

/** POST /deals/:id/move: the stage, and the deal it goes before or after on the board (neither: last). */
export const moveDealBodySchema = moveDeal.request.pick({ stageId: true, beforeId: true, afterId: true });
export type MoveDealBody = z.infer<typeof moveDealBodySchema>;

export const loseDealBodySchema = loseDeal.request.pick({ reason: true });
export type LoseDealBody = z.infer<typeof loseDealBodySchema>;
