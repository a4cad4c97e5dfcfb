import { z } from 'zod';
import { validationFailed } from '../ticket-errors';

const cursorSchema = z.object({ createdAt: z.iso.datetime({ offset: true }), id: z.uuid() });

/**
 * Where the next page starts: the last row's creation time and id, base64url JSON. Not signed:
 * every query is scoped to the caller's tenant, so an edited cursor only moves the page start
 * within what the caller may read anyway; a malformed one is a 400 naming `cursor`.
 */
export function encodeTicketCursor(row: { created_at: Date | string; id: string }): string {
  return Buffer.from(JSON.stringify({ createdAt: new Date(row.created_at).toISOString(), id: row.id })).toString('base64url');
}

export function decodeTicketCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(parsed.createdAt), id: parsed.id };
  } catch {
    throw validationFailed([{ path: 'cursor', message: 'is not a cursor of this list' }]);
  }
}
