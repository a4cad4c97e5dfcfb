import { externalSystemSchema } from '@crm/contracts';
import { z } from 'zod';
import { BULK_CONTENT_TYPES, BULK_OBJECTS, BULK_OPERATIONS, OBJECT_COMMANDS } from './bulk-job';

const fieldName = z.string().trim().min(1).max(100);

/** POST /erp/v1/jobs */
export const createBulkJobBodySchema = z
  .object({
    object: z.enum(BULK_OBJECTS),
    operation: z.enum(BULK_OPERATIONS).default('upsert'),
    system: externalSystemSchema,
    /** The column (CSV), property (NDJSON) or vCard property (default `uid`) holding each row's external id. */
    externalIdField: fieldName.optional(),
    /** Upload column → the object's field (`emails.0.address` for nested ones; "" drops the column). */
    columnMapping: z
      .record(fieldName, z.string().trim().max(100))
      .refine((mapping) => Object.keys(mapping).length <= 200, 'at most 200 columns')
      .default({}),
    contentType: z.enum(BULK_CONTENT_TYPES).default('text/csv'),
  })
  .superRefine((body, ctx) => {
    if (body.contentType === 'text/vcard' && body.object !== 'contacts') {
      ctx.addIssue({ code: 'custom', path: ['contentType'], message: 'vCard uploads are for contacts only' });
    }
    if (body.operation === 'delete' && !OBJECT_COMMANDS[body.object].delete) {
      ctx.addIssue({ code: 'custom', path: ['operation'], message: `${body.object} cannot be deleted by external id` });
    }
    if (!body.externalIdField && body.contentType !== 'text/vcard') {
      ctx.addIssue({ code: 'custom', path: ['externalIdField'], message: 'name the column holding the external id' });
    }
  });
export type CreateBulkJobBody = z.output<typeof createBulkJobBodySchema>;

/** PATCH /erp/v1/jobs/:id: close the upload (the job then runs) or abort it. */
export const closeBulkJobBodySchema = z.object({ state: z.enum(['upload_complete', 'aborted']) });
export type CloseBulkJobBody = z.output<typeof closeBulkJobBodySchema>;

/** GET /erp/v1/jobs */
export const listBulkJobsQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListBulkJobsQuery = z.output<typeof listBulkJobsQuerySchema>;

/** GET /erp/v1/jobs/:id/results */
export const bulkJobResultsQuerySchema = z.object({ outcome: z.enum(['created', 'updated', 'unchanged', 'deleted', 'failed']).optional() });
export type BulkJobResultsQuery = z.output<typeof bulkJobResultsQuerySchema>;
