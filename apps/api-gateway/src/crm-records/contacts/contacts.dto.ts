import { CONTACT_SORTS, contactInputSchema, contactListFilterSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryBoolean, queryLimit } from '../../http/query-schemas';

/** POST /contacts: the contact, plus `allowDuplicates` to create it even when it looks like one we have. */
export const createContactBodySchema = contactInputSchema.extend({ allowDuplicates: z.boolean().optional() });
export type CreateContactBody = z.infer<typeof createContactBodySchema>;

export const updateContactBodySchema = contactInputSchema.partial();
export type UpdateContactBody = z.infer<typeof updateContactBodySchema>;

/** GET /contacts query string: filters, sort, cursor, limit. */
export const listContactsQuerySchema = contactListFilterSchema.extend({
  includeDeleted: queryBoolean.optional(),
  sort: z.enum(CONTACT_SORTS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListContactsQuery = z.infer<typeof listContactsQuerySchema>;

export const mergeContactBodySchema = z.object({ mergedId: z.uuid() });
export type MergeContactBody = z.infer<typeof mergeContactBodySchema>;
