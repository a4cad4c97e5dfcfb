import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Order, OrderLine } from '@crm/contracts';
import type { DB, Order as OrderTable } from '../generated/kysely/database';

/** An order row with its lines (as JSON, in position order). */
export type OrderRow = Selectable<OrderTable> & { lines: LineJson[] };

interface LineJson {
  product_id: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  unit_price_minor: string | number;
  discount_minor: string | number;
  total_minor: string | number;
}

/** Orders (`sales_order o`) with their lines aggregated, one statement. */
export function selectOrders(db: Kysely<DB>) {
  return db
    .selectFrom('sales_order as o')
    .selectAll('o')
    .select(
      sql<LineJson[]>`(SELECT coalesce(json_agg(json_build_object(
        'product_id', l.product_id, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
        'unit_price_minor', l.unit_price_minor, 'discount_minor', l.discount_minor, 'total_minor', l.total_minor) ORDER BY l.position), '[]'::json)
        FROM order_line l WHERE l.order_id = o.id)`.as('lines'),
    );
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function toOrderLine(line: LineJson): OrderLine {
  return {
    productId: line.product_id,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unitPriceMinor: Number(line.unit_price_minor),
    discountMinor: Number(line.discount_minor),
    totalMinor: Number(line.total_minor),
  };
}

/** A row as replies and events carry it (money as numbers: the service keeps it within safe integers). */
export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    contactId: row.contact_id,
    companyId: row.company_id,
    currency: row.currency,
    subtotalMinor: Number(row.subtotal_minor),
    discountMinor: Number(row.discount_minor),
    totalMinor: Number(row.total_minor),
    purchasedAt: iso(row.purchased_at),
    channel: row.channel as Order['channel'],
    status: row.status as Order['status'],
    externalId: row.external_id,
    externalSystem: row.external_system,
    invoice:
      row.invoice_number && row.invoice_status
        ? {
            number: row.invoice_number,
            status: row.invoice_status,
            issuedAt: row.invoice_issued_at ? iso(row.invoice_issued_at) : null,
            dueAt: row.invoice_due_at ? iso(row.invoice_due_at) : null,
          }
        : null,
    paymentStatus: (row.payment_status as Order['paymentStatus']) ?? null,
    paidAt: row.paid_at ? iso(row.paid_at) : null,
    lines: row.lines.map(toOrderLine),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
