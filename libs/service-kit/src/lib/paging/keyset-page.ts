import type { CursorCodec } from './cursor-codec';

/**
 * Cuts the rows a list query read (one more than the page, to know whether another follows) into
 * the page and the cursor of the next one: the last row's relevance score when searching, its
 * sort key otherwise.
 */
export function keysetPage<R extends { id: string; score?: string | null }>(
  rows: R[],
  limit: number,
  order: { name: string; byRelevance: boolean; sortKey: (row: R) => string },
  cursors: CursorCodec,
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length <= limit || !last) return { page, nextCursor: null };
  const key = order.byRelevance ? (last.score ?? '0') : order.sortKey(last);
  return { page, nextCursor: cursors.encode({ sort: order.name, id: last.id, key }) };
}
