import { externalSystemSchema } from '@crm/contracts';
import { z } from 'zod';

export const recordErpOrderBodySchema = z.object({
  /** The ERP (as in its upserts' paths, e.g. `sap-prod`). */
  system: externalSystemSchema,
  orderNumber: z.string().trim().min(1).max(200),
});
export type RecordErpOrderBody = z.infer<typeof recordErpOrderBodySchema>;
