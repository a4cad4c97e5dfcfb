import { CONTACT_ACTIVITY_KINDS } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

export const listActivitiesQuerySchema = z.object({
  kind: z.enum(CONTACT_ACTIVITY_KINDS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuerySchema>;
