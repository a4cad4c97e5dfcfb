import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import type { KbArticle as KbArticleTable, KbCategory as KbCategoryTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type KbArticleRow = Omit<Selectable<KbArticleTable>, 'search'>;
export type KbCategoryRow = Selectable<KbCategoryTable>;
export type KbHitRow = Omit<KbArticleRow, 'body'> & { snippet: string; rank: number };

export interface KbArticleFields {
  title: string;
  body: string;
  categoryId: string | null;
  status: string;
  tags: string[];
}

/** The search configuration of the knowledge base: English stemming (password, passwords). */
const CONFIG = 'english';
const ARTICLE_COLUMNS = ['id', 'tenant_id', 'category_id', 'title', 'body', 'status', 'tags', 'published_at', 'version', 'created_at', 'updated_at'] as const;
const HIT_COLUMNS = sql.raw(ARTICLE_COLUMNS.filter((c) => c !== 'body').join(', '));

export interface KbSearch {
  /** websearch_to_tsquery syntax: words (all), "a phrase", -not, or. */
  q?: string;
  /** Free text (a ticket being written): any of its words. */
  suggestFor?: string;
  categoryId?: string;
  status?: string;
  publishedOnly: boolean;
  limit: number;
}

/** Knowledge-base categories and articles, tenant-scoped in every statement. */
@Injectable()
export class KbRepository {
  constructor(private readonly db: Database) {}

  insertCategory(tenantId: string, category: { id: string; name: string; position: number }, at: Date): Promise<KbCategoryRow | undefined> {
    return this.db
      .insertInto('kb_category')
      .values({ id: category.id, tenant_id: tenantId, name: category.name, position: category.position, created_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  listCategories(tenantId: string): Promise<KbCategoryRow[]> {
    return this.db.selectFrom('kb_category').selectAll().where('tenant_id', '=', tenantId).orderBy('position').orderBy('name').execute();
  }

  async categoryExists(tenantId: string, id: string): Promise<boolean> {
    return (await this.db.selectFrom('kb_category').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  insertArticle(tenantId: string, id: string, f: KbArticleFields, at: Date): Promise<KbArticleRow> {
    return this.db
      .insertInto('kb_article')
      .values({
        id,
        tenant_id: tenantId,
        category_id: f.categoryId,
        title: f.title,
        body: f.body,
        status: f.status,
        tags: f.tags,
        published_at: f.status === 'published' ? at : null,
        created_at: at,
        updated_at: at,
      })
      .returning(ARTICLE_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /**
   * Writes the article's full-text vector from its title and body (English stemming, the title
   * weighing above the body). Every write of an article calls it in the same transaction; kept
   * apart because the typed builder does not know the tsvector column.
   */
  async refreshSearch(tenantId: string, id: string): Promise<void> {
    await sql`
      UPDATE kb_article SET search = setweight(to_tsvector(${CONFIG}::regconfig, title), 'A') || setweight(to_tsvector(${CONFIG}::regconfig, body), 'B')
      WHERE tenant_id = ${tenantId} AND id = ${id}::uuid`.execute(this.db);
  }

  find(tenantId: string, id: string): Promise<KbArticleRow | undefined> {
    return this.db.selectFrom('kb_article').select(ARTICLE_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** The whole article again at `version` (undefined: changed meanwhile); then refreshSearch. */
  updateArticle(tenantId: string, id: string, version: number, f: KbArticleFields, publishedAt: Date | null, at: Date): Promise<KbArticleRow | undefined> {
    return this.db
      .updateTable('kb_article')
      .set({
        category_id: f.categoryId,
        title: f.title,
        body: f.body,
        status: f.status,
        tags: f.tags,
        published_at: publishedAt,
        version: version + 1,
        updated_at: at,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(ARTICLE_COLUMNS)
      .executeTakeFirst();
  }

  deleteArticle(tenantId: string, id: string): Promise<KbArticleRow | undefined> {
    return this.db.deleteFrom('kb_article').where('tenant_id', '=', tenantId).where('id', '=', id).returning(ARTICLE_COLUMNS).executeTakeFirst();
  }

  /**
   * Best match first (ts_rank over the weighted vector, the GIN index on (tenant, vector) finds the
   * candidates), with a snippet around the matches; without words, the most recently changed.
   */
  async search(tenantId: string, s: KbSearch): Promise<KbHitRow[]> {
    const query = s.q
      ? sql`websearch_to_tsquery(${CONFIG}::regconfig, ${s.q})`
      : s.suggestFor
        ? // Any of the words: plainto_tsquery's terms (stemmed, stop words out) joined by OR.
          sql`replace(plainto_tsquery(${CONFIG}::regconfig, ${s.suggestFor})::text, ' & ', ' | ')::tsquery`
        : null;
    const filters = [sql`a.tenant_id = ${tenantId}`];
    if (s.publishedOnly) filters.push(sql`a.status = 'published'`);
    else if (s.status) filters.push(sql`a.status = ${s.status}`);
    if (s.categoryId) filters.push(sql`a.category_id = ${s.categoryId}::uuid`);
    const where = sql.join(filters, sql` AND `);
    if (!query) {
      const { rows } = await sql<KbHitRow>`
        SELECT ${HIT_COLUMNS}, left(body, 200) AS snippet, 0::real AS rank FROM kb_article a
        WHERE ${where} ORDER BY updated_at DESC, id LIMIT ${s.limit}`.execute(this.db);
      return rows;
    }
    // ts_headline (the costly part) only for the page, after ranking and the limit.
    const { rows } = await sql<KbHitRow>`
      SELECT ${HIT_COLUMNS},
             ts_headline(${CONFIG}::regconfig, a.body, a.q, 'StartSel=«, StopSel=», MaxWords=30, MinWords=10, MaxFragments=2') AS snippet,
             a.rank
      FROM (SELECT a.*, q, ts_rank(a.search, q) AS rank FROM kb_article a, (SELECT ${query} AS q) AS query
            WHERE ${where} AND a.search @@ q ORDER BY rank DESC, a.updated_at DESC LIMIT ${s.limit}) a
      ORDER BY a.rank DESC, a.updated_at DESC`.execute(this.db);
    return rows;
  }
}
