import { Injectable } from '@nestjs/common';
import { PreparedStatement, PreparedStatements } from '../infrastructure/database/prepared-statements';

/** Tags at least this common (share of contacts, from Postgres's statistics) are "common". */
const COMMON_SHARE = 0.01;
const REFRESH_MS = 5 * 60_000;

/** The tags ANALYZE found on at least COMMON_SHARE of the contacts (all tenants), with their share. */
const COMMON_TAGS: PreparedStatement = {
  name: 'contacts.common-tags.v1',
  text: `SELECT e.tag, e.share FROM pg_stats s
    CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs[1:cardinality(s.most_common_elems::text::text[])]) AS e(tag, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'contact' AND s.attname = 'tags' AND e.share >= $1::float4`,
};

/**
 * Which tags are common, so that a list filtered by one can be planned for it: a common tag is
 * checked row by row along the sort's index (the page is its first rows), a rare one is looked up
 * in the tags index (a walk would read the whole tenant to find it). The statements are planned
 * once for any value (SESSION_OPTIONS), hence the two shapes. Read from Postgres's own statistics
 * every few minutes; with none yet (a new database), every tag counts as rare: still correct.
 */
@Injectable()
export class CommonTags {
  private tags = new Set<string>();
  private readAt = 0;
  private reading?: Promise<void>;

  constructor(private readonly statements: PreparedStatements) {}

  async isCommon(tag: string): Promise<boolean> {
    if (Date.now() - this.readAt > REFRESH_MS) await (this.reading ??= this.read().finally(() => (this.reading = undefined)));
    return this.tags.has(tag);
  }

  private async read(): Promise<void> {
    const rows = await this.statements.rows<{ tag: string }>(COMMON_TAGS, [COMMON_SHARE]);
    this.tags = new Set(rows.map((r) => r.tag));
    this.readAt = Date.now();
  }
}
