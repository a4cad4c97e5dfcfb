import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { pageRows } from '@crm/service-kit';
import { Database } from '../../infrastructure/database/database';
import { DEAL_JSON_COLUMNS } from '../deal.table';

export interface DealListQuery {
  filter: { pipelineId?: string; stageId?: string; ownerId?: string; contactId?: string; companyId?: string; status?: string; q?: string };
  order: DealOrder;
  /** The last row of the previous page: its sort key (null for a missing date) and id. */
  after?: { key: string | null; id: string };
  limit: number;
}

/** One order of the deal lists: the column, its SQL type (for the cursor's key), the direction, and how ties break by id (as the index runs). */
export interface DealOrder {
  column: 'position' | 'updated_at' | 'expected_close_date' | 'amount_minor';
  type: 'text' | 'timestamptz' | 'date' | 'bigint';
  desc: boolean;
  idDesc: boolean;
  nullable: boolean;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The deal lists: the board (a stage's open deals by position) and the other orders, one index range scan each. */
@Injectable()
export class DealListRepository {
  constructor(private readonly db: Database) {}

  /** The page's deals (one more than `limit` when there are more), each as JSON text of the contract's Deal. */
  async page(tenantId: string, { filter, order, after, limit }: DealListQuery): Promise<string[]> {
    let query = this.db.selectFrom('deal as d').where('d.tenant_id', '=', tenantId).where('d.deleted_at', 'is', null);
    if (filter.pipelineId) query = query.where('d.pipeline_id', '=', filter.pipelineId);
    if (filter.stageId) query = query.where('d.stage_id', '=', filter.stageId);
    if (filter.status) query = query.where('d.status', '=', filter.status);
    if (filter.ownerId) query = query.where('d.owner_id', '=', filter.ownerId);
    if (filter.contactId) query = query.where('d.contact_id', '=', filter.contactId);
    if (filter.companyId) query = query.where('d.company_id', '=', filter.companyId);
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query = query.where((eb) => eb.or([eb('d.title', 'ilike', pattern), eb('d.customer_name', 'ilike', pattern)]));
    }
    if (after) query = query.where(afterRow(order, after));
    const column = sql.ref(`d.${order.column}`);
    const direction = sql.raw(order.desc ? 'DESC' : 'ASC');
    const page = query
      .select(DEAL_JSON_COLUMNS)
      .orderBy(sql`${column} ${direction}${sql.raw(order.nullable ? ' NULLS LAST' : '')}`)
      .orderBy(sql`d.id ${sql.raw(order.idDesc ? 'DESC' : 'ASC')}`)
      .limit(pageRows(limit));
    // A scan of the ordered subquery keeps its order (nothing above it sorts, joins or groups).
    const rows = await this.db.selectFrom(page.as('j')).select(sql<string>`row_to_json(j)::text`.as('deal')).execute();
    return rows.map((row) => row.deal);
  }
}

/**
 * Rows strictly after the cursor's row in the order (missing values last), written so the index
 * range starts at the cursor: a row comparison when the column and id run the same way, else a
 * bound on the column with the tie broken by id.
 */
function afterRow(order: DealOrder, after: { key: string | null; id: string }): RawBuilder<SqlBool> {
  const column = sql.ref(`d.${order.column}`);
  const id = sql`${after.id}::uuid`;
  const idOp = sql.raw(order.idDesc ? '<' : '>');
  if (after.key === null) return sql<SqlBool>`(${column} IS NULL AND d.id ${idOp} ${id})`;
  const key = sql`${after.key}::${sql.raw(order.type)}`;
  const op = sql.raw(order.desc ? '<' : '>');
  const later =
    order.desc === order.idDesc
      ? sql<SqlBool>`((${column}, d.id) ${op} (${key}, ${id}))`
      : sql<SqlBool>`(${column} ${sql.raw(order.desc ? '<=' : '>=')} ${key} AND (${column} ${op} ${key} OR d.id ${idOp} ${id}))`;
  return order.nullable ? sql<SqlBool>`(${later} OR ${column} IS NULL)` : later;
}
