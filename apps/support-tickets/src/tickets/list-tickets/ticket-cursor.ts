import { z } from 'zod';
import { validationFailed } from '../ticket-errors';

/** Where the next page starts: the last row's sort key and id. */
export type TicketListPosition = { sort: '-createdAt'; createdAt: Date; id: string } | { sort: 'slaDueAt'; slaDueAt: Date | null; id: string };

const cursorSchema = z.union([
  z.object({ createdAt: z.iso.datetime({ offset: true }), id: z.uuid() }),
  z.object({ slaDueAt: z.iso.datetime({ offset: true }).nullable(), id: z.uuid() }),
]);

/**
 * The last row's sort key and id, base64url JSON. Not signed: every query is scoped to the
 * caller's tenant, so an edited cursor only moves the page start within what the caller may read
 * anyway; a malformed one (or one of the other sort) is a 400 naming `cursor`.
 */
export function encodeTicketCursor(sort: TicketListPosition['sort'], row: { created_at: Date | string; sla_due_at: Date | string | null; id: string }): string {
  const key =
    sort === 'slaDueAt'
      ? { slaDueAt: row.sla_due_at && new Date(row.sla_due_at).toISOString(), id: row.id }
      : { createdAt: new Date(row.created_at).toISOString(), id: row.id };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeTicketCursor(sort: TicketListPosition['sort'], cursor: string | undefined): TicketListPosition | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => validationFailed([{ path: 'cursor', message: 'is not a cursor of this list' }]);
  let parsed: z.infer<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  if (sort === 'slaDueAt' && 'slaDueAt' in parsed) return { sort, slaDueAt: parsed.slaDueAt === null ? null : new Date(parsed.slaDueAt), id: parsed.id };
  if (sort === '-createdAt' && 'createdAt' in parsed) return { sort, createdAt: new Date(parsed.createdAt), id: parsed.id };
  throw invalid();
}
