import { apiClientInputSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /integrations/clients: a name and the scopes (e.g. contacts:write, changes:read). */
export const createApiClientBodySchema = apiClientInputSchema;
export type CreateApiClientBody = z.infer<typeof createApiClientBodySchema>;

export const updateApiClientBodySchema = apiClientInputSchema.partial();
export type UpdateApiClientBody = z.infer<typeof updateApiClientBodySchema>;

/** POST /integrations/clients/:id/rotate-secret: how long the previous secret keeps working (default: the integration gateway's setting). */
export const rotateApiClientSecretBodySchema = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
  })
  .default({});
export type RotateApiClientSecretBody = z.infer<typeof rotateApiClientSecretBodySchema>;

export const listApiClientsQuerySchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListApiClientsQuery = z.infer<typeof listApiClientsQuerySchema>;
