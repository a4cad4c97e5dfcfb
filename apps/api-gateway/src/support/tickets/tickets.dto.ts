import { TICKET_MESSAGE_KINDS, TICKET_SORTS, TICKET_STATUSES, ticketInputSchema, ticketPatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /tickets: a subject and the first message; channel api, priority normal, no requester unless given. */
export const createTicketBodySchema = ticketInputSchema;
export type CreateTicketBody = z.infer<typeof createTicketBodySchema>;

/** PATCH /tickets/:id: status, priority, group, assignee, tags, subject; absent fields stay. */
export const updateTicketBodySchema = ticketPatchSchema;
export type UpdateTicketBody = z.infer<typeof updateTicketBodySchema>;

/** POST /tickets/:id/messages: a public reply or an internal note. */
export const addTicketMessageBodySchema = z.object({ kind: z.enum(TICKET_MESSAGE_KINDS), body: z.string().trim().min(1).max(100_000) });
export type AddTicketMessageBody = z.infer<typeof addTicketMessageBodySchema>;

/** POST /tickets/:id/merge: the ticket to merge into this one. */
export const mergeTicketsBodySchema = z.object({ sourceId: z.uuid() });
export type MergeTicketsBody = z.infer<typeof mergeTicketsBodySchema>;

/** GET /tickets: newest first or by SLA due time (`sort=slaDueAt`: the agent inbox), by status, assignee, group or requester. */
export const listTicketsQuerySchema = z.object({
  sort: z.enum(TICKET_SORTS).default('-createdAt'),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
  status: z.enum(TICKET_STATUSES).optional(),
  assigneeId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  requesterId: z.uuid().optional(),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;
