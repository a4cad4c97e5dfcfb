import type { Kysely, Selectable } from 'kysely';
import type { Product } from '@crm/contracts';
import type { DB, Product as ProductTable } from '../generated/kysely/database';

export type ProductRow = Selectable<ProductTable>;

/** Products as the service reads them (`product p`). */
export function selectProducts(db: Kysely<DB>) {
  return db.selectFrom('product as p').selectAll('p');
}

/** A row as replies carry it (money as numbers: minor units stay within safe integers, the contract checks it). */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    unitPriceMinor: Number(row.unit_price_minor),
    currency: row.currency,
    active: row.active,
    externalId: row.external_id,
    externalSystem: row.external_system,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
