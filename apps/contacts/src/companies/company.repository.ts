import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Prisma, type Company as CompanyRow } from '../generated/prisma/client';
import { PreparedStatement, PreparedStatements } from '../infrastructure/database/prepared-statements';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { Cursor } from '../shared/cursor';
import { afterCursorSql, orderBySql, SortColumn, SortSpec } from '../shared/keyset';
import { fuzzyThreshold, SearchTerm, searchSql } from '../shared/search-terms';
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

  create(tenantId: string, data: CompanyWrite): Promise<CompanyRow> {
    return this.db.company.create({ data: { tenantId, ...this.columns(data), name: data.name, sortName: textKey(data.name) } });
  }

  /** Deleted ones too (restore needs them); callers decide what a deleted company means. */
  find(tenantId: string, id: string): Promise<CompanyRow | null> {
    return this.db.company.findFirst({ where: { id, tenantId } });
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
    return count === 1 ? this.find(tenantId, id) : null;
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
      const search = searchSql(terms, [Prisma.sql`c.sort_name`]);
      await this.db.$queryRaw(fuzzyThreshold);
      const after = cursor ? Prisma.sql`(s.score < ${String(cursor.key)}::numeric OR (s.score = ${String(cursor.key)}::numeric AND s.id > ${cursor.id}::uuid))` : Prisma.sql`TRUE`;
      rows = await this.db.$queryRaw<{ id: string; score: string }[]>`
        SELECT s.id, s.score::text AS score FROM (
          SELECT c.id, round(${search.score}::numeric, 8) AS score FROM company c
          WHERE ${Prisma.join(where, ' AND ')} AND ${search.candidate} AND ${search.match}
        ) s
        WHERE ${after}
        ORDER BY s.score DESC, s.id ASC
        LIMIT ${limit + 1}`;
    } else {
      rows = await this.db.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM company c
        WHERE ${Prisma.join(where, ' AND ')} AND ${afterCursorSql(sort, cursor, id)}
        ${orderBySql(sort, id)}
        LIMIT ${limit + 1}`;
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
