import { Injectable } from '@nestjs/common';
import { sql, type CompiledQuery, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { OrderLine } from '@crm/contracts';
import type { OutboxMessageValues } from '@crm/messaging';
import {
  afterCursor,
  arrayOf,
  columnsAsText,
  type Cursor,
  keysetOrder,
  outboxArgs,
  outboxSlots,
  pageRows,
  prepare,
  slot,
  sortSpec,
  unnestColumns,
} from '@crm/service-kit';
import type { DB, Order as OrderTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { OrderRow, selectOrders } from './order.table';

/** Newest purchase first; ties by id the way (…, purchased_at DESC, id) indexes read forwards. */
export const ORDER_HISTORY_ORDER = sortSpec('-purchasedAt', { purchasedAt: { column: 'o.purchased_at', type: 'timestamptz', indexDesc: true } });

/** What an ERP may change on a recorded order. */
export interface ErpFacts {
  status: string;
  invoice_number: string | null;
  invoice_status: string | null;
  invoice_issued_at: string | null;
  invoice_due_at: string | null;
  payment_status: string | null;
  paid_at: string | null;
}

export interface OrderListFilter {
  contactId?: string;
  companyId?: string;
  status?: string;
  purchasedFrom?: string;
  purchasedTo?: string;
}

/** The columns a recorded order is written with: every one given, so that its insert is built once. */
const ORDER_COLUMNS = [
  'id',
  'tenant_id',
  'contact_id',
  'company_id',
  'currency',
  'subtotal_minor',
  'discount_minor',
  'total_minor',
  'purchased_at',
  'channel',
  'status',
  'external_id',
  'external_system',
  'invoice_number',
  'invoice_status',
  'invoice_issued_at',
  'invoice_due_at',
  'payment_status',
  'paid_at',
  'version',
  'created_at',
  'updated_at',
] as const;

export type NewOrder = { [K in (typeof ORDER_COLUMNS)[number]]-?: Exclude<Insertable<OrderTable>[K], undefined> };

/** An order line's columns as they are unnested, and the type each is cast to. */
const LINE_TYPES = {
  order_id: 'uuid',
  position: 'integer',
  tenant_id: 'text',
  product_id: 'uuid',
  sku: 'text',
  name: 'text',
  quantity: 'integer',
  unit_price_minor: 'text',
  discount_minor: 'text',
  total_minor: 'text',
} as const;
const LINE_COLUMNS = Object.keys(LINE_TYPES) as (keyof typeof LINE_TYPES)[];

/**
 * Recording an order as one statement, built and compiled once (PreparedQuery): the order's
 * columns, then each line column's text array, then the outbox row's columns.
 */
const insertOrder = prepare<unknown[]>()((db: Kysely<DB>) => {
  const order = Object.fromEntries(ORDER_COLUMNS.map((column, i) => [column, slot(i)])) as unknown as NewOrder;
  const lineArrays = LINE_COLUMNS.map((_, i) => slot(ORDER_COLUMNS.length + i));
  return db
    .with('new_order', (q) => q.insertInto('sales_order').values(order))
    .with('new_lines', (q) =>
      q
        .insertInto('order_line')
        .columns(LINE_COLUMNS)
        .expression(
          sql`SELECT r.order_id, r.position, r.tenant_id, r.product_id, r.sku, r.name, r.quantity,
            r.unit_price_minor::bigint, r.discount_minor::bigint, r.total_minor::bigint FROM ${unnestColumns(LINE_COLUMNS, lineArrays, LINE_TYPES, 'r')}`,
        ),
    )
    .insertInto('outbox_message')
    .values(outboxSlots(ORDER_COLUMNS.length + LINE_COLUMNS.length));
});

/** Orders and their lines. Recording one is the hot path: one statement for the order, its lines and its event. */
@Injectable()
export class OrderRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string, id: string): Promise<OrderRow | null> {
    const row = await selectOrders(this.db).where('o.tenant_id', '=', tenantId).where('o.id', '=', id).executeTakeFirst();
    return row ?? null;
  }

  /** The order, locked until the transaction ends (a status change). */
  async lock(tenantId: string, id: string): Promise<OrderRow | null> {
    const row = await selectOrders(this.db).where('o.tenant_id', '=', tenantId).where('o.id', '=', id).forUpdate('o').executeTakeFirst();
    return row ?? null;
  }

  /** The id of the order an external system recorded under `externalId`, if any. */
  async findExternal(tenantId: string, externalSystem: string, externalId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('sales_order')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('external_system', '=', externalSystem)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** Runs a statement built here (insertStatement). */
  async run(statement: CompiledQuery): Promise<void> {
    await this.db.executeQuery(statement);
  }

  /**
   * The order, its lines (one set-based insert: a column array each, whatever the number of
   * lines) and its event's outbox row, in one statement built once (insertOrder): atomic without
   * an interactive transaction. Compiled, not run (EventPublisher.publishWithCommit, or run).
   */
  insertStatement(order: NewOrder, lines: OrderLine[], outbox: OutboxMessageValues): CompiledQuery {
    const rows = lines.map((line, position) => ({
      order_id: order.id,
      position,
      tenant_id: order.tenant_id,
      product_id: line.productId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unit_price_minor: String(line.unitPriceMinor),
      discount_minor: String(line.discountMinor),
      total_minor: String(line.totalMinor),
    }));
    return insertOrder.statement(this.db, [...ORDER_COLUMNS.map((column) => order[column]), ...columnsAsText(rows, LINE_TYPES), ...outboxArgs(outbox)]);
  }

  /** The next status and version; null when `version` is no longer current. */
  async setStatus(tenantId: string, id: string, version: number, status: string): Promise<OrderRow | null> {
    const updated = await this.db
      .updateTable('sales_order')
      .set({ status, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return updated.numUpdatedRows ? this.find(tenantId, id) : null;
  }

  /** The orders of these external ids in `system` (an ERP batch), with their lines. */
  byExternalIds(tenantId: string, system: string, externalIds: readonly string[]): Promise<OrderRow[]> {
    if (!externalIds.length) return Promise.resolve([]);
    return selectOrders(this.db)
      .where('o.tenant_id', '=', tenantId)
      .where('o.external_system', '=', system)
      .where((eb) => eb('o.external_id', '=', eb.fn.any(arrayOf(externalIds, 'text'))))
      .execute();
  }

  /** The order of an external id, or null. */
  async findByExternalId(tenantId: string, system: string, externalId: string): Promise<OrderRow | null> {
    const row = await selectOrders(this.db)
      .where('o.tenant_id', '=', tenantId)
      .where('o.external_system', '=', system)
      .where('o.external_id', '=', externalId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** The ERP's later facts (status, invoice, payment) as the next version; null when `version` is no longer current. */
  async setErpFacts(tenantId: string, id: string, version: number, values: ErpFacts): Promise<OrderRow | null> {
    const updated = await this.db
      .updateTable('sales_order')
      .set({ ...values, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return updated.numUpdatedRows ? this.find(tenantId, id) : null;
  }

  /** One page, newest purchase first (limit + 1 rows: the extra one says there is a next page). */
  list(tenantId: string, filter: OrderListFilter, cursor: Cursor | undefined, limit: number): Promise<OrderRow[]> {
    let query = selectOrders(this.db).where('o.tenant_id', '=', tenantId);
    if (filter.contactId !== undefined) query = query.where('o.contact_id', '=', filter.contactId);
    if (filter.companyId !== undefined) query = query.where('o.company_id', '=', filter.companyId);
    if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
    if (filter.purchasedFrom !== undefined) query = query.where(sql<SqlBool>`o.purchased_at >= ${filter.purchasedFrom}::timestamptz`);
    if (filter.purchasedTo !== undefined) query = query.where(sql<SqlBool>`o.purchased_at < ${filter.purchasedTo}::timestamptz`);
    return query
      .where(afterCursor(ORDER_HISTORY_ORDER, cursor, 'o.id'))
      .orderBy(keysetOrder(ORDER_HISTORY_ORDER, 'o.id'))
      .limit(pageRows(limit))
      .execute();
  }
}
