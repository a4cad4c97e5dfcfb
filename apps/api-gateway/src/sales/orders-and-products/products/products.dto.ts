import { productInputSchema, productListFilterSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryBoolean, queryLimit } from '../../../http/query-schemas';

export const createProductBodySchema = productInputSchema;
export type CreateProductBody = z.infer<typeof createProductBodySchema>;

export const updateProductBodySchema = productInputSchema.partial();
export type UpdateProductBody = z.infer<typeof updateProductBodySchema>;

/** GET /products: active, q (in the name or SKU), cursor, limit. By name. */
export const listProductsQuerySchema = productListFilterSchema.extend({
  active: queryBoolean.optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListProductsQuery = z.infer<typeof listProductsQuerySchema>;
