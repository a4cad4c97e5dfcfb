import { Injectable } from '@nestjs/common';
import { CursorCodec, keysetPage } from '@crm/service-kit';
import { AppConfig, DEV_CURSOR_SECRET } from '../app.config';

export type { Cursor } from '@crm/service-kit';

/** The order of the design lists (templates, sequences, rules): oldest first, by creation time then id. */
const CREATED = 'created';

/** Where a page of a list in creation order starts: after this row. */
export interface CreatedAfter {
  createdAt: Date;
  id: string;
}

/** The cursors of the service's lists (@crm/service-kit's signed codec), keyed with `SALES_AUTOMATION_CURSOR_SECRET`. */
@Injectable()
export class SalesCursors extends CursorCodec {
  constructor(config: AppConfig) {
    super(config.SALES_AUTOMATION_CURSOR_SECRET ?? DEV_CURSOR_SECRET);
  }

  /** The row a creation-ordered page starts after (none for the first page; a tampered cursor fails here). */
  createdAfter(cursor: string | undefined): CreatedAfter | undefined {
    const after = this.decode(cursor, CREATED);
    return after && { createdAt: new Date(String(after.key)), id: after.id };
  }

  /** A page of `limit` from rows read one past it, in creation order, with the next page's cursor. */
  createdPage<R extends { id: string; created_at: Date | string }, T>(rows: R[], limit: number, map: (row: R) => T): { data: T[]; nextCursor: string | null } {
    const { page, nextCursor } = keysetPage(rows, limit, { name: CREATED, byRelevance: false, sortKey: (row) => new Date(row.created_at).toISOString() }, this);
    return { data: page.map(map), nextCursor };
  }
}
