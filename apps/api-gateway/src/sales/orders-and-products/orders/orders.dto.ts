import { changeOrderStatus, orderInputSchema, orderListFilterSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../../http/query-schemas';

export const recordOrderBodySchema = orderInputSchema;
export type RecordOrderBody = z.infer<typeof recordOrderBodySchema>;

/** GET /orders: contactId, companyId, status, purchasedFrom (inclusive), purchasedTo (exclusive), cursor, limit. Newest first. */
export const listOrdersQuerySchema = orderListFilterSchema.extend({
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuerySchema>;

/** GET /contacts/:id/orders: the contact's history, with the other filters. */
export const listContactOrdersQuerySchema = listOrdersQuerySchema.omit({ contactId: true });
export type ListContactOrdersQuery = z.infer<typeof listContactOrdersQuerySchema>;

/** POST /orders/:id/status: the status the order moves to. */
export const changeOrderStatusBodySchema = changeOrderStatus.request.pick({ status: true });
export type ChangeOrderStatusBody = z.infer<typeof changeOrderStatusBodySchema>;
