import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { arrayOf, unnestRows } from '@crm/service-kit';
import { Database } from '../infrastructure/database/database';
import { ProductRow, selectProducts } from './product.table';

/** A product as an ERP batch writes it (the whole row: absent fields already taken from the stored one). */
export interface ExternalProductValues {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  unitPriceMinor: number;
  currency: string;
  active: boolean;
  externalId: string;
}

/** The catalogue keyed by (tenant, system, external id): set-based reads and writes, one statement each per batch. */
@Injectable()
export class ProductExternalRepository {
  constructor(private readonly db: Database) {}

  /** The products (deleted ones too: the key stays theirs) of these external ids in `system`. */
  byExternalIds(tenantId: string, system: string, externalIds: readonly string[]): Promise<ProductRow[]> {
    return selectProducts(this.db)
      .where('p.tenant_id', '=', tenantId)
      .where('p.external_system', '=', system)
      .where((eb) => eb('p.external_id', '=', eb.fn.any(arrayOf(externalIds, 'text'))))
      .execute();
  }

  /** The live product of an external id, or null. */
  async findLive(tenantId: string, system: string, externalId: string): Promise<ProductRow | null> {
    const row = await selectProducts(this.db)
      .where('p.tenant_id', '=', tenantId)
      .where('p.external_system', '=', system)
      .where('p.external_id', '=', externalId)
      .where('p.deleted_at', 'is', null)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Which product holds each of these SKUs (deleted ones too: the SKU stays taken). */
  async skuHolders(tenantId: string, skus: readonly string[]): Promise<Map<string, string>> {
    if (!skus.length) return new Map();
    const rows = await this.db
      .selectFrom('product')
      .select(['id', 'sku'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb('sku', '=', eb.fn.any(arrayOf(skus, 'text'))))
      .execute();
    return new Map(rows.map((r) => [r.sku, r.id]));
  }

  /** Live product ids of external ids in `system` (an order's lines name products so). */
  async resolve(tenantId: string, system: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    if (!externalIds.length) return new Map();
    const rows = await this.db
      .selectFrom('product')
      .select(['id', 'external_id'])
      .where('tenant_id', '=', tenantId)
      .where('external_system', '=', system)
      .where((eb) => eb('external_id', '=', eb.fn.any(arrayOf(externalIds, 'text'))))
      .where('deleted_at', 'is', null)
      .execute();
    return new Map(rows.map((r) => [r.external_id as string, r.id]));
  }

  /**
   * One INSERT … ON CONFLICT (tenant, system, external id) DO UPDATE for the batch, updating only
   * rows whose values differ (a deleted one comes back). Returns the rows written, `inserted` when
   * new (xmax = 0); rows not returned were unchanged.
   */
  upsert(tenantId: string, system: string, products: readonly ExternalProductValues[], at: Date): Promise<(ProductRow & { inserted: boolean })[]> {
    const rows = products.map((p) => ({
      id: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      unit_price_minor: String(p.unitPriceMinor),
      currency: p.currency,
      active: p.active,
      external_id: p.externalId,
    }));
    const types = { id: 'uuid', sku: 'text', name: 'text', description: 'text', unit_price_minor: 'text', currency: 'text', active: 'boolean', external_id: 'text' } as const;
    return this.db
      .insertInto('product')
      .columns(['id', 'tenant_id', 'sku', 'name', 'description', 'unit_price_minor', 'currency', 'active', 'external_id', 'external_system', 'version', 'created_at', 'updated_at'])
      .expression(
        sql`SELECT r.id, ${tenantId}, r.sku, r.name, r.description, r.unit_price_minor::bigint, r.currency, r.active, r.external_id, ${system}::text, 1,
          ${at}::timestamptz, ${at}::timestamptz FROM ${unnestRows(rows, types, 'r')}`,
      )
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'external_system', 'external_id'])
          .doUpdateSet({
            sku: sql`excluded.sku`,
            name: sql`excluded.name`,
            description: sql`excluded.description`,
            unit_price_minor: sql`excluded.unit_price_minor`,
            currency: sql`excluded.currency`,
            active: sql`excluded.active`,
            deleted_at: null,
            version: sql`product.version + 1`,
            updated_at: sql`excluded.updated_at`,
          })
          .where(
            sql<boolean>`(product.sku, product.name, product.description, product.unit_price_minor, product.currency, product.active, product.deleted_at IS NULL)
              IS DISTINCT FROM (excluded.sku, excluded.name, excluded.description, excluded.unit_price_minor, excluded.currency, excluded.active, true)`,
          ),
      )
      .returningAll()
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
  }

  /** Soft-deletes the live products of these external ids; returns those deleted. */
  softDelete(tenantId: string, system: string, externalIds: readonly string[], at: Date): Promise<{ id: string; external_id: string | null; version: number }[]> {
    return this.db
      .updateTable('product')
      .set({ deleted_at: at, updated_at: at, version: sql`version + 1` })
      .where('tenant_id', '=', tenantId)
      .where('external_system', '=', system)
      .where((eb) => eb('external_id', '=', eb.fn.any(arrayOf(externalIds, 'text'))))
      .where('deleted_at', 'is', null)
      .returning(['id', 'external_id', 'version'])
      .execute();
  }
}
