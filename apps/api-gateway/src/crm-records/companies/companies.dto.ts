import { COMPANY_SORTS, companyInputSchema, companyListFilterSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryBoolean, queryLimit } from '../../http/query-schemas';

export const createCompanyBodySchema = companyInputSchema;
export type CreateCompanyBody = z.infer<typeof createCompanyBodySchema>;

export const updateCompanyBodySchema = companyInputSchema.partial();
export type UpdateCompanyBody = z.infer<typeof updateCompanyBodySchema>;

export const listCompaniesQuerySchema = companyListFilterSchema.extend({
  includeDeleted: queryBoolean.optional(),
  sort: z.enum(COMPANY_SORTS).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListCompaniesQuery = z.infer<typeof listCompaniesQuerySchema>;
