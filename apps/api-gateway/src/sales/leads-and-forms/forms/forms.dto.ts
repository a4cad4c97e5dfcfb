import { formSubmissionSchema, leadFormInputSchema, leadFormPatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../../http/query-schemas';

export const createFormBodySchema = leadFormInputSchema;
export type CreateFormBody = z.infer<typeof createFormBodySchema>;

export const updateFormBodySchema = leadFormPatchSchema;
export type UpdateFormBody = z.infer<typeof updateFormBodySchema>;

export const listFormsQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type ListFormsQuery = z.infer<typeof listFormsQuerySchema>;

export const formSubmissionBodySchema = formSubmissionSchema;
export type FormSubmissionBody = z.infer<typeof formSubmissionBodySchema>;

/** The public route's key: what the service made (base64url), nothing else reaches the bus. */
export const formKeyParamSchema = z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'must be a form key');

/** What the public route answers: accepted (a filled honeypot is answered the same, and creates nothing). */
export const formSubmissionAcceptedSchema = z.object({ accepted: z.literal(true) });
