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
    if (s === sort && keyFits(sort, key) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
      return { sort, key: key as string | number, id };
    }
  } catch {
    // falls through to the error below
  }
  throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list (sort or filter changed?)' }]);
}

/**
 * The key must be of the kind the sort compares (a cursor is client input: a tampered key would
 * otherwise reach SQL casts and fail there instead of being refused as a bad cursor).
 */
function keyFits(sort: string, key: unknown): boolean {
  if (sort.startsWith('relevance:')) return (typeof key === 'number' && Number.isFinite(key)) || (typeof key === 'string' && /^-?\d{1,20}(\.\d{1,30})?$/.test(key));
  if (/At$/.test(sort)) return typeof key === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(key) && !Number.isNaN(Date.parse(key));
  return typeof key === 'string' && !key.includes('\u0000');
}
