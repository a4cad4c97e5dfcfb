import { z } from 'zod';
import { KNOWN_SERVICES } from '../../edge/services';

/** Path of every parked-messages route. Unknown names are refused by the service (404), not here. */
export const serviceParamsSchema = z.object({
  service: z.string().min(1).max(100).meta({ description: `One of: ${KNOWN_SERVICES.join(', ')}.` }),
});
export type ServiceParams = z.output<typeof serviceParamsSchema>;

export const listParkedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ListParkedQuery = z.output<typeof listParkedQuerySchema>;

export const redriveParkedSchema = z.object({
  // Event ids as listed; without ids every parked message of the service is re-driven.
  ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
});
export type RedriveParkedDto = z.output<typeof redriveParkedSchema>;

export const parkedMessageSchema = z.object({
  id: z.string(),
  type: z.string(),
  reason: z.string(),
  error: z.string().optional(),
  retries: z.number().int(),
  parkedAt: z.string().optional(),
  body: z.string().meta({ description: 'The message as received, cut to 4 KiB.' }),
});
export const parkedMessagePageSchema = z.object({ data: z.array(parkedMessageSchema) });
export const redriveResultSchema = z.object({ redriven: z.number().int() });
