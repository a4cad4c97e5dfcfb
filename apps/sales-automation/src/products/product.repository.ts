import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Kysely, type SqlBool, type Updateable } from 'kysely';
import { afterCursor, type Cursor, keysetOrder, pageRows, prepare, slot, sortSpec } from '@crm/service-kit';
import type { DB, Product as ProductTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { ProductRow, selectProducts } from './product.table';
import { conflictOn, violatedConstraint } from './sales-errors';

export const PRODUCT_ORDER = sortSpec('name', { name: { column: 'p.name', type: 'text', indexDesc: false } });

/** What an order line takes from the catalogue. */
export interface PricedProduct {
  id: string;
  sku: string;
  name: string;
  unit_price_minor: string;
  currency: string;
}

/** An order's products and prices, built once (PreparedQuery): every order recorded reads it. */
const pricedProducts = prepare<[tenantId: string, ids: readonly string[]]>()((db: Kysely<DB>) =>
  db
    .selectFrom('product')
    .select(['id', 'sku', 'name', 'unit_price_minor', 'currency'])
    .where('tenant_id', '=', slot<string>(0))
    .where((eb) => eb('id', '=', eb.fn.any(sql<string[]>`${slot(1)}::uuid[]`)))
    .where('deleted_at', 'is', null),
);

/** The catalogue: live (not deleted) products per tenant. */
@Injectable()
export class ProductRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string, id: string): Promise<ProductRow | null> {
    const row = await selectProducts(this.db).where('p.tenant_id', '=', tenantId).where('p.id', '=', id).where('p.deleted_at', 'is', null).executeTakeFirst();
    return row ?? null;
  }

  /** The live products among `ids`, in one statement (one array parameter whatever their number). */
  async priced(tenantId: string, ids: readonly string[]): Promise<PricedProduct[]> {
    if (!ids.length) return [];
    return pricedProducts.execute(this.db, [tenantId, ids]);
  }

  /** 409 naming `sku` or `externalId` when the tenant has a product with it (deleted ones too: the key stays taken). */
  async insert(product: Insertable<ProductTable>): Promise<ProductRow> {
    try {
      return await this.db.insertInto('product').values(product).returningAll().executeTakeFirstOrThrow();
    } catch (error) {
      throw uniqueConflict(error);
    }
  }

  /** The next version, or null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, values: Updateable<ProductTable>): Promise<ProductRow | null> {
    try {
      const row = await this.db
        .updateTable('product')
        .set({ ...values, version: version + 1, updated_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', version)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ?? null;
    } catch (error) {
      throw uniqueConflict(error);
    }
  }

  /** One page by name then id (limit + 1 rows: the extra one says there is a next page). */
  list(tenantId: string, filter: { active?: boolean; q?: string }, cursor: Cursor | undefined, limit: number): Promise<ProductRow[]> {
    let query = selectProducts(this.db).where('p.tenant_id', '=', tenantId).where('p.deleted_at', 'is', null);
    if (filter.active !== undefined) query = query.where('p.active', '=', filter.active);
    if (filter.q !== undefined) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<SqlBool>`(p.name ILIKE ${pattern} OR p.sku ILIKE ${pattern})`);
    }
    return query
      .where(afterCursor(PRODUCT_ORDER, cursor, 'p.id'))
      .orderBy(keysetOrder(PRODUCT_ORDER, 'p.id'))
      .limit(pageRows(limit))
      .execute();
  }
}

/** 409 naming the body field (`sku`, `externalId`) whose value another product of the tenant holds. */
function uniqueConflict(error: unknown): unknown {
  const constraint = violatedConstraint(error);
  if (constraint === undefined) return error;
  if (constraint.includes('external_id')) return conflictOn('EXTERNAL_ID_TAKEN', 'externalId', 'Another product has this external id.');
  return conflictOn('SKU_TAKEN', 'sku', 'Another product has this SKU.');
}
