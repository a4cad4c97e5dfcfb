import { setFieldOwnership, SYNC_DIRECTIONS, SYNC_OBJECTS, syncLogFilterSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../http/query-schemas';

export const syncObjectParamSchema = z.enum(SYNC_OBJECTS, { message: `must be one of ${SYNC_OBJECTS.join(', ')}` });

/** PUT /integrations/field-ownership/:object: the whole map (fields left out are the ERP's). */
export const setFieldOwnershipBodySchema = setFieldOwnership.request.pick({ fields: true });
export type SetFieldOwnershipBody = z.infer<typeof setFieldOwnershipBodySchema>;

/** GET /integrations/sync-log: filters by record, external id, system, object, status, direction, client. */
export const listSyncLogQuerySchema = syncLogFilterSchema.extend({
  direction: z.enum(SYNC_DIRECTIONS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListSyncLogQuery = z.infer<typeof listSyncLogQuerySchema>;
