import { z } from 'zod';
import type { ManagedUser, UserCursor } from '../users.repository';

// Opaque to clients: base64url of [createdAt, id] of the last user of the page.
const decodedCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeUserCursor(user: Pick<ManagedUser, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([user.createdAt.toISOString(), user.id])).toString('base64url');
}

/** Undefined when the cursor is not one this endpoint issued. */
export function decodeUserCursor(cursor: string): UserCursor | undefined {
  try {
    const parsed = decodedCursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
