import { z } from 'zod';
import { EXPORT_COLUMNS, EXPORT_FORMATS } from './contact-export';

/** POST /erp/v1/exports */
export const createContactExportBodySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  /** CSV columns in order (default: id, names, title, first email and phone, company, tags, stage, updatedAt). */
  columns: z.array(z.enum(EXPORT_COLUMNS)).min(1).max(EXPORT_COLUMNS.length).optional(),
});
export type CreateContactExportBody = z.output<typeof createContactExportBodySchema>;
