import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Prisma, type Company as CompanyRow } from '../generated/prisma/client';
import { PreparedStatement, PreparedStatements } from '../infrastructure/database/prepared-statements';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { Cursor } from '../shared/cursor';
import { afterCursorSql, orderBySql, pageRows, SortColumn, SortSpec } from '../shared/keyset';
import { matchingWordsSql, SearchTerm } from '../shared/search-terms';
import { replaceSearchWordsSql, searchWords } from '../shared/search-words';
import { restoreDeadline } from '../shared/soft-delete';
import { textKey } from '../shared/text-keys';

export type { CompanyRow };

/** A company's stored state as the service decides it (derived keys are the repository's business). */
export interface CompanyWrite {
  name: string;
  domain: string | null;
  industry: string | null;
  phones: { number: string; label?: string; primary: boolean }[];
  addresses: object[];
  ownerId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface CompanyListQuery {
  filter: { tag?: string; ownerId?: string; updatedSince?: string; includeDeleted?: boolean };
  terms: SearchTerm[];
  sort: SortSpec;
  cursor?: Cursor;
  limit: number;
}

export const COMPANY_SORT_COLUMNS: Record<string, SortColumn> = {
  name: { sql: Prisma.sql`c.sort_name`, type: 'text', indexDesc: false },
  updatedAt: { sql: Prisma.sql`c.updated_at`, type: 'timestamptz', indexDesc: true },
  createdAt: { sql: Prisma.sql`c.created_at`, type: 'timestamptz', indexDesc: true },
};

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** A live company of the tenant ($1) with this id ($2). */
const COMPANY_IS_ACTIVE: PreparedStatement = {
  name: 'companies.is-active.v1',
  text: `SELECT 1 FROM company WHERE id = $2::uuid AND tenant_id = $1 AND deleted_at IS NULL`,
};

/** Companies; the only code that touches their table. */
@Injectable()
export class CompanyRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly statements: PreparedStatements,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  async create(tenantId: string, data: CompanyWrite): Promise<CompanyRow> {
    const row = await this.db.company.create({ data: { tenantId, ...this.columns(data), name: data.name, sortName: textKey(data.name) } });
    await this.db.$executeRaw(replaceSearchWordsSql('company', tenantId, row.id, searchWords(row.sortName)));
    return row;
  }

  /** Deleted ones too (restore needs them); callers decide what a deleted company means. Purged ones never. */
  find(tenantId: string, id: string): Promise<CompanyRow | null> {
    return this.db.company.findFirst({ where: { id, tenantId, purgedAt: null } });
  }

  /** Raw: every contact write that links a company asks (a Prisma query costs ~1.5 ms of CPU). */
  async existsActive(tenantId: string, id: string): Promise<boolean> {
    return (await this.statements.rows(COMPANY_IS_ACTIVE, [tenantId, id])).length === 1;
  }

  /** Writes the new state and the next version; null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, data: Partial<CompanyWrite> & { deletedAt?: Date | null }): Promise<CompanyRow | null> {
    const { deletedAt, ...rest } = data;
    const { count } = await this.db.company.updateMany({
      where: { id, tenantId, version },
      data: { ...this.columns(rest), ...(deletedAt !== undefined && { deletedAt }), version: version + 1, updatedAt: new Date() },
    });
    if (count !== 1) return null;
    if (data.name !== undefined) await this.db.$executeRaw(replaceSearchWordsSql('company', tenantId, id, searchWords(textKey(data.name))));
    return this.find(tenantId, id);
  }

  /** One page in the query's order (limit + 1 rows: the extra one says there is a next page). */
  async list(tenantId: string, query: CompanyListQuery): Promise<(CompanyRow & { score?: string })[]> {
    const { filter, sort, cursor, limit, terms } = query;
    const where: Prisma.Sql[] = [Prisma.sql`c.tenant_id = ${tenantId}`];
    where.push(
      filter.includeDeleted
        ? Prisma.sql`(c.deleted_at IS NULL OR c.deleted_at >= ${restoreDeadline().toISOString()}::timestamptz)`
        : Prisma.sql`c.deleted_at IS NULL`,
    );
    if (filter.tag !== undefined) where.push(Prisma.sql`c.tags @> ARRAY[${filter.tag}]::text[]`);
    if (filter.ownerId !== undefined) where.push(Prisma.sql`c.owner_id = ${filter.ownerId}::uuid`);
    if (filter.updatedSince !== undefined) where.push(Prisma.sql`c.updated_at >= ${filter.updatedSince}::timestamptz`);
    const id = Prisma.sql`c.id`;
    // Scores as exact decimals (text): the cursor must compare equal to what it was made from.
    let rows: { id: string; score?: string }[];
    if (terms.length) {
      // Per term, the companies with a matching word and the best word's score; a company must be
      // found by every term, and ranks by the sum.
      const matched = terms.map((_, i) => Prisma.raw(`t${i}`));
      const joins = matched.slice(1).map((t) => Prisma.sql`JOIN ${t} ON ${t}.id = t0.id`);
      const perTerm = terms.flatMap((term, i) => [
        Prisma.sql`${Prisma.raw(`m${i}`)} AS (${matchingWordsSql(tenantId, term)})`,
        // The words as an array too: the planner then reads them through the primary key.
        Prisma.sql`${matched[i]} AS (
          SELECT l.company_id AS id, max(m.score) AS score FROM ${Prisma.raw(`m${i}`)} m
          JOIN company_search_word l ON l.tenant_id = ${tenantId} AND l.word = m.word
          WHERE l.word = ANY (ARRAY(SELECT word FROM ${Prisma.raw(`m${i}`)}))
          GROUP BY l.company_id)`,
      ]);
      const after = cursor ? Prisma.sql`(s.score < ${String(cursor.key)}::numeric OR (s.score = ${String(cursor.key)}::numeric AND s.id > ${cursor.id}::uuid))` : Prisma.sql`TRUE`;
      // The candidates in rank order, then the filters company by company until the page is full
      // (see ContactRepository.list for OFFSET 0 and LIMIT 1).
      rows = await this.db.$queryRaw<{ id: string; score: string }[]>`
        WITH ${Prisma.join(perTerm, ', ')},
        s AS (
          SELECT t0.id, round((${Prisma.join(matched.map((t) => Prisma.sql`${t}.score`), ' + ')})::numeric, 8) AS score
          FROM t0 ${joins.length ? Prisma.join(joins, ' ') : Prisma.empty})
        SELECT r.id, r.score::text AS score
        FROM (SELECT s.id, s.score FROM s WHERE ${after} ORDER BY s.score DESC, s.id ASC OFFSET 0) AS r
        CROSS JOIN LATERAL (SELECT 1 FROM company c WHERE c.id = r.id AND ${Prisma.join(where, ' AND ')} LIMIT 1) AS passes
        ORDER BY r.score DESC, r.id ASC
        LIMIT ${pageRows(limit)}`;
    } else {
      rows = await this.db.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM company c
        WHERE ${Prisma.join(where, ' AND ')} AND ${afterCursorSql(sort, cursor, id)}
        ${orderBySql(sort, id)}
        LIMIT ${pageRows(limit)}`;
    }
    const found = new Map((await this.db.company.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((c) => [c.id, c]));
    return rows.flatMap((r) => {
      const row = found.get(r.id);
      return row ? [{ ...row, score: r.score }] : [];
    });
  }

  private columns(data: Partial<CompanyWrite>) {
    const { phones, addresses, customFields, ...plain } = data;
    return {
      ...plain,
      ...(data.name !== undefined && { sortName: textKey(data.name) }),
      ...(phones !== undefined && { phones: json(phones) }),
      ...(addresses !== undefined && { addresses: json(addresses) }),
      ...(customFields !== undefined && { customFields: json(customFields) }),
    };
  }
}
