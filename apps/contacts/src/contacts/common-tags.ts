import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

/** Tags at least this common (share of contacts, from Postgres's statistics) are "common". */
const COMMON_SHARE = 0.01;
const REFRESH_MS = 5 * 60_000;

/** The tags ANALYZE found on at least `share` of the contacts (all tenants): a catalog read, outside the schema's tables. */
const commonTags = (share: number) => sql<{ tag: string }>`SELECT e.tag FROM pg_stats s
    CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs[1:cardinality(s.most_common_elems::text::text[])]) AS e(tag, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'contact' AND s.attname = 'tags' AND e.share >= ${share}::float4`;

/**
 * Which tags are common, so that a list filtered by one can be planned for it: a common tag is
 * checked row by row along the sort's index (the page is its first rows), a rare one is looked up
 * in the tags index (a walk would read the whole tenant to find it). The statements are planned
 * once for any value (force_generic_plan), hence the two shapes. Read from Postgres's own statistics
 * every few minutes; with none yet (a new database), every tag counts as rare: still correct.
 */
@Injectable()
export class CommonTags {
  private tags = new Set<string>();
  private readAt = 0;
  private reading?: Promise<void>;

  constructor(private readonly db: Database) {}

  async isCommon(tag: string): Promise<boolean> {
    if (Date.now() - this.readAt > REFRESH_MS) await (this.reading ??= this.read().finally(() => (this.reading = undefined)));
    return this.tags.has(tag);
  }

  private async read(): Promise<void> {
    const { rows } = await commonTags(COMMON_SHARE).execute(this.db);
    this.tags = new Set(rows.map((r) => r.tag));
    this.readAt = Date.now();
  }
}
