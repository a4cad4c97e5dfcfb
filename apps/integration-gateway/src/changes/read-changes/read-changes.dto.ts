import { z } from 'zod';

/** GET /erp/v1/changes */
export const readChangesQuerySchema = z.object({
  /** Resume after this cursor (an event's `sequence`, or the last page's `nextCursor`); absent: from the oldest kept. */
  after: z.string().max(64).optional(),
  /** Comma-separated event types (`contacts.contact.created.v1,...`); absent: every type the client may see. */
  types: z
    .string()
    .max(4_000)
    .transform((value) => value.split(',').map((type) => type.trim()).filter(Boolean))
    .optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Long poll: with nothing new, hold the request up to this many seconds for the next change. */
  wait: z.coerce.number().int().min(0).max(30).default(0),
});
export type ReadChangesQuery = z.output<typeof readChangesQuerySchema>;
