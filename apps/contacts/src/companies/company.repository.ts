import { Injectable } from '@nestjs/common';
import { afterCursor, type Cursor, insertRecords, keysetOrder, pageRows, softDeleted, type SortColumn, type SortSpec } from '@crm/service-kit';
import { type ExpressionBuilder, sql, type SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { matchingWords, SearchTerm } from '../shared/search-terms';
import { searchWords } from '../shared/search-words';
import { replaceCompanySearchWords } from './company-search-words';
import { COMPANY_PROJECTION, COMPANY_RECORD_COLUMNS, companyChanges, companyRecord, CompanyRow, CompanyWrite } from './company.table';

export type { CompanyRow, CompanyWrite };

/** The columns a company list sorts by, as the list statement names them; each is indexed (tenant_id, column, id). */
export const COMPANY_SORT_COLUMNS: Record<string, SortColumn> = {
  name: { column: 'company.sort_name', type: 'text', indexDesc: false },
  updatedAt: { column: 'company.updated_at', type: 'timestamptz', indexDesc: true },
  createdAt: { column: 'company.created_at', type: 'timestamptz', indexDesc: true },
};

export interface CompanyListQuery {
  filter: { tag?: string; ownerId?: string; updatedSince?: string; includeDeleted?: boolean };
  terms: SearchTerm[];
  sort: SortSpec;
  cursor?: Cursor;
  limit: number;
}

/**
 * Companies, through the typed query builder (the company table module): single reads, inserts,
 * versioned updates and list pages. Imports insert through the same module;
 * the purge tombstones companies (PurgeRepository).
 */
@Injectable()
export class CompanyRepository {
  constructor(private readonly db: Database) {}

  async create(tenantId: string, data: CompanyWrite): Promise<CompanyRow> {
    const row = await insertRecords<DB, 'company'>(this.db, 'company', COMPANY_RECORD_COLUMNS, [companyRecord(tenantId, data, new Date())])
      .returning(COMPANY_PROJECTION)
      .executeTakeFirstOrThrow();
    await replaceCompanySearchWords(this.db, tenantId, row.id, searchWords(row.sortName)).execute();
    return row;
  }

  /** Deleted ones too (restore needs them); callers decide what a deleted company means. Purged ones never. */
  async find(tenantId: string, id: string): Promise<CompanyRow | null> {
    const row = await this.db.selectFrom('company').select(COMPANY_PROJECTION).where('id', '=', id).where('tenant_id', '=', tenantId).where('purged_at', 'is', null).executeTakeFirst();
    return row ?? null;
  }

  /** A prepared statement: every contact write that links a company asks (a Prisma query costs ~1.5 ms of CPU). */
  async existsActive(tenantId: string, id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('company')
      .select('id')
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Writes the new state and the next version, in one statement; null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, data: Partial<CompanyWrite> & { deletedAt?: Date | null }): Promise<CompanyRow | null> {
    const { deletedAt, ...write } = data;
    const row = await this.db
      .updateTable('company')
      .set({ ...companyChanges(write), ...(deletedAt !== undefined && { deleted_at: deletedAt }), version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('version', '=', version)
      .returning(COMPANY_PROJECTION)
      .executeTakeFirst();
    if (!row) return null;
    if (write.name !== undefined) await replaceCompanySearchWords(this.db, tenantId, id, searchWords(row.sortName)).execute();
    return row;
  }

  /** One page in the query's order (limit + 1 rows: the extra one says there is a next page), in one read. */
  list(tenantId: string, query: CompanyListQuery): Promise<(CompanyRow & { score?: string })[]> {
    return query.terms.length ? this.search(tenantId, query) : this.sorted(tenantId, query);
  }

  private sorted(tenantId: string, { filter, sort, cursor, limit }: CompanyListQuery): Promise<CompanyRow[]> {
    return this.db
      .selectFrom('company')
      .select(COMPANY_PROJECTION)
      .where((eb) => listFilter(eb, tenantId, filter))
      .where(afterCursor(sort, cursor, 'company.id'))
      .orderBy(keysetOrder(sort, 'company.id'))
      .limit(pageRows(limit))
      .execute();
  }

  /**
   * By relevance: per term, the companies with a matching word and the best word's score; a
   * company must be found by every term, and ranks by the sum. The candidates in rank order, then
   * the filters company by company until the page is full (OFFSET 0 keeps the sorted subquery as
   * it is and LIMIT 1 the check a lookup per candidate), then the page's rows. Scores as exact
   * decimals (text): the cursor must compare equal to what it was made from.
   */
  private search(tenantId: string, { filter, terms, cursor, limit }: CompanyListQuery): Promise<(CompanyRow & { score: string })[]> {
    const [m, t] = [(i: number) => sql.table(`m${i}`), (i: number) => sql.table(`t${i}`)];
    const perTerm = terms.flatMap((term, i) => [
      sql`${m(i)} AS (${matchingWords(this.db, tenantId, term)})`,
      // The words as an array too: the planner then reads them through the primary key.
      sql`${t(i)} AS (
        SELECT l.company_id AS id, max(m.score) AS score FROM ${m(i)} m
        JOIN company_search_word l ON l.tenant_id = ${tenantId} AND l.word = m.word
        WHERE l.word = ANY (ARRAY(SELECT word FROM ${m(i)}))
        GROUP BY l.company_id)`,
    ]);
    const after = cursor
      ? sql<SqlBool>`(s.score < ${String(cursor.key)}::numeric OR (s.score = ${String(cursor.key)}::numeric AND s.id > ${cursor.id}::uuid))`
      : sql<SqlBool>`TRUE`;
    const passes = this.db
      .selectFrom('company')
      .select(sql.lit(1).as('one'))
      .where(sql<SqlBool>`company.id = r.id`)
      .where((eb) => listFilter(eb, tenantId, filter))
      .limit(sql.lit(1));
    const page = sql<{ id: string; score: string }>`(
      WITH ${sql.join(perTerm)},
      s AS (
        SELECT t0.id, round((${sql.join(
          terms.map((_, i) => sql`${t(i)}.score`),
          sql` + `,
        )})::numeric, 8) AS score
        FROM t0 ${sql.join(
          terms.slice(1).map((_, j) => sql`JOIN ${t(j + 1)} ON ${t(j + 1)}.id = t0.id`),
          sql` `,
        )})
      SELECT r.id, r.score
      FROM (SELECT s.id, s.score FROM s WHERE ${after} ORDER BY s.score DESC, s.id ASC OFFSET 0) AS r
      CROSS JOIN LATERAL (${passes}) AS passes
      ORDER BY r.score DESC, r.id ASC
      LIMIT ${pageRows(limit)})`;
    return this.db
      .with(
        (cte) => cte('page').materialized(),
        () => page,
      )
      .selectFrom('page')
      .innerJoin('company', 'company.id', 'page.id')
      .select([...COMPANY_PROJECTION, sql<string>`page.score::text`.as('score')])
      .orderBy('page.score', 'desc')
      .orderBy('page.id', 'asc')
      .execute();
  }
}

/** The list's filters: the tenant's companies, live (or deleted within the restore window), with the tag, owner, changed since. */
function listFilter(eb: ExpressionBuilder<DB, 'company'>, tenantId: string, filter: CompanyListQuery['filter']) {
  return eb.and([
    eb('company.tenant_id', '=', tenantId),
    softDeleted('company.deleted_at', filter.includeDeleted),
    ...(filter.tag !== undefined ? [eb('company.tags', '@>', sql<string[]>`ARRAY[${filter.tag}]::text[]`)] : []),
    ...(filter.ownerId !== undefined ? [eb('company.owner_id', '=', filter.ownerId)] : []),
    ...(filter.updatedSince !== undefined ? [eb('company.updated_at', '>=', new Date(filter.updatedSince))] : []),
  ]);
}
