import { z } from 'zod';

export const listChangesQuerySchema = z.object({
  /** The cursor of the last page (`next`); none: from the beginning of the log. */
  after: z.string().min(1).max(200).optional(),
  /** Comma-separated event types (versioned names) or prefixes ending in `*` (contacts.contact.*). */
  types: z
    .string()
    .max(2_000)
    .transform((value) => value.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.*-]+$/, 'an event type or a prefix ending in *')).max(50))
    .optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Long poll: hold the request up to this many seconds until a change arrives. */
  wait: z.coerce.number().int().min(0).max(30).default(0),
});
export type ListChangesQuery = z.infer<typeof listChangesQuerySchema>;
