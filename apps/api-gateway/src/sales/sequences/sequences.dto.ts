import { ENROLMENT_STATUSES, sequenceInputSchema, sequencePatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /sequences: ordered steps (enabled unless `enabled: false`; time zone UTC and every exit condition unless given). */
export const createSequenceBodySchema = sequenceInputSchema;
export type CreateSequenceBody = z.infer<typeof createSequenceBodySchema>;

/** PATCH /sequences/:id: absent fields stay; changed steps or exit conditions make a new definition version. */
export const updateSequenceBodySchema = sequencePatchSchema;
export type UpdateSequenceBody = z.infer<typeof updateSequenceBodySchema>;

/** POST /sequences/:id/enrolments: the contact to enrol (and the deal or order its emails are about). */
export const enrolContactBodySchema = z.object({ contactId: z.uuid(), dealId: z.uuid().optional(), orderId: z.uuid().optional() });
export type EnrolContactBody = z.infer<typeof enrolContactBodySchema>;

export const pageQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** GET /sequences/:id/enrolments: the sequence's enrolments, optionally of one status. */
export const sequenceEnrolmentsQuerySchema = pageQuerySchema.extend({ status: z.enum(ENROLMENT_STATUSES).optional() });
export type SequenceEnrolmentsQuery = z.infer<typeof sequenceEnrolmentsQuerySchema>;

/** GET /enrolments: filters by sequence, contact and status. */
export const listEnrolmentsQuerySchema = pageQuerySchema.extend({
  sequenceId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  status: z.enum(ENROLMENT_STATUSES).optional(),
});
export type ListEnrolmentsQuery = z.infer<typeof listEnrolmentsQuerySchema>;
