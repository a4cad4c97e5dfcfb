import { z } from 'zod';
import { KNOWN_SERVICES } from '../../edge/services';

/** Path of every parked-messages route. Unknown names are refused by the service (404), not here. */
export const serviceParamsSchema = z.object({
  service: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: `One of: ${KNOWN_SERVICES.join(', ')}.` }),
});
export type ServiceParams = z.output<typeof serviceParamsSchema>;

/** One parked message: its service and its event id (as listed). */
export const parkedMessageParamsSchema = serviceParamsSchema.extend({
  id: z.string().min(1).max(200).meta({ description: 'The event id, as listed.' }),
});
export type ParkedMessageParams = z.output<typeof parkedMessageParamsSchema>;

export const listParkedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ListParkedQuery = z.output<typeof listParkedQuerySchema>;

export const redriveParkedSchema = z.object({
  // Event ids as listed; without ids every parked message the caller may see is re-driven.
  ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
});
export type RedriveParkedDto = z.output<typeof redriveParkedSchema>;

/** What a listing shows: the envelope and the error, never the body (it holds personal data). */
export const parkedMessageSummarySchema = z.object({
  id: z.string(),
  type: z.string(),
  source: z.string().optional(),
  tenantId: z.string().optional().meta({ description: "The envelope's tenant; absent when it cannot be read." }),
  subject: z.string().optional(),
  time: z.string().optional(),
  reason: z.string(),
  error: z.string().optional(),
  retries: z.number().int(),
  parkedAt: z.string().optional(),
});
export type ParkedMessageSummary = z.output<typeof parkedMessageSummarySchema>;
/** One message asked for by id: the summary and the message as received. */
export const parkedMessageDetailSchema = parkedMessageSummarySchema.extend({
  body: z.string().meta({ description: 'The message as received (up to 1 MiB).' }),
});
export const parkedMessagePageSchema = z.object({ data: z.array(parkedMessageSummarySchema) });
export const redriveResultSchema = z.object({ redriven: z.number().int() });
