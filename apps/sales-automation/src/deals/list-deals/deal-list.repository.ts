import { Injectable } from '@nestjs/common';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { pageRows, prepare, PreparedQuery, slot } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
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

/** The board's order: drag position, ties by id (the index (tenant, pipeline, stage, status, position, id)). */
export const BOARD_ORDER: DealOrder = { column: 'position', type: 'text', desc: false, idDesc: false, nullable: false };

type BoardArgs = [tenantId: string, pipelineId: string, stageId: string, status: string, afterKey?: string, afterId?: string];
const boardPages = new Map<string, PreparedQuery<DB, BoardArgs, { deal: string }>>();

/**
 * A board page (one stage's deals of a status by position, the hot list) as a prepared statement,
 * the first page or a next one: the same query as any list, built and compiled once per page
 * size (its LIMIT is written in: pageRows), not per request (about a tenth of the service's CPU
 * per page).
 */
function boardPage(limit: number, next: boolean): PreparedQuery<DB, BoardArgs, { deal: string }> {
  const key = `${limit}:${next}`;
  let query = boardPages.get(key);
  if (!query) {
    query = prepare<BoardArgs>()((db: Kysely<DB>) =>
      pageQuery(db, slot(0), {
        filter: { pipelineId: slot(1), stageId: slot(2), status: slot(3) },
        order: BOARD_ORDER,
        after: next ? { key: slot(4), id: slot(5) } : undefined,
        rows: pageRows(limit),
      }),
    );
    boardPages.set(key, query);
  }
  return query;
}

/** The deal lists: the board (a stage's open deals by position) and the other orders, one index range scan each. */
@Injectable()
export class DealListRepository {
  constructor(private readonly db: Database) {}

  /** The page's deals (one more than `limit` when there are more), each as JSON text of the contract's Deal. */
  async page(tenantId: string, { filter, order, after, limit }: DealListQuery): Promise<string[]> {
    const { pipelineId, stageId, status, ownerId, contactId, companyId, q } = filter;
    if (order.column === BOARD_ORDER.column && pipelineId && stageId && status && !ownerId && !contactId && !companyId && !q && after?.key !== null) {
      const args: BoardArgs = after ? [tenantId, pipelineId, stageId, status, after.key, after.id] : [tenantId, pipelineId, stageId, status];
      return (await boardPage(limit, !!after).execute(this.db, args)).map((row) => row.deal);
    }
    return (await pageQuery(this.db, tenantId, { filter, order, after, rows: pageRows(limit) }).execute()).map((row) => row.deal);
  }
}

/** A page's query: its deals as JSON text, in the order, `rows` of them. */
function pageQuery(db: Kysely<DB>, tenantId: string, { filter, order, after, rows }: Omit<DealListQuery, 'limit'> & { rows: RawBuilder<number> }) {
  let query = db.selectFrom('deal as d').where('d.tenant_id', '=', tenantId).where('d.deleted_at', 'is', null);
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
    .limit(rows);
  // A scan of the ordered subquery keeps its order (nothing above it sorts, joins or groups).
  return db.selectFrom(page.as('j')).select(sql<string>`row_to_json(j)::text`.as('deal'));
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
