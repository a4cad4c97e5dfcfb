import { INTERACTION_CHANNELS, interactionInputSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

export const logInteractionBodySchema = interactionInputSchema;
export type LogInteractionBody = z.infer<typeof logInteractionBodySchema>;

export const listInteractionsQuerySchema = z.object({
  channel: z.enum(INTERACTION_CHANNELS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListInteractionsQuery = z.infer<typeof listInteractionsQuerySchema>;
