import { validationFailed } from './errors';

/**
 * Keyset pagination cursors: the last row's sort key and id, as opaque base64url JSON. The next
 * page starts strictly after that key, so rows added meanwhile neither repeat nor push rows out.
 * The sort (and the search text) are part of the cursor: a cursor used with another sort is refused.
 */
export interface Cursor {
  /** What the page was ordered by (`-updatedAt`, `relevance:<q>`...). */
  sort: string;
  /** The last row's sort value (ISO time, normalised text or relevance score). */
  key: string | number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined, sort: string): Cursor | undefined {
  if (value === undefined) return undefined;
  try {
    const [s, key, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (s === sort && (typeof key === 'string' || typeof key === 'number') && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
      return { sort, key, id };
    }
  } catch {
    // falls through to the error below
  }
  throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list (sort or filter changed?)' }]);
}
