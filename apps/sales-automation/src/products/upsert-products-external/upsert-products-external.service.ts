import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  checkAgainst,
  ExternalItem,
  ExternalItemResult,
  Product,
  productCreated,
  productInputSchema,
  productUpdated,
  RpcRequest,
  upsertProductsByExternalId,
} from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { failedItem, firstOccurrences, invalidItem, resultOf, typedCells } from '@crm/service-kit';
import { ExternalProductValues, ProductExternalRepository } from '../product-external.repository';
import { ProductRow, toProduct } from '../product.table';

/** A record's fields: the key (system, external id) comes from the item, never from `record`. */
const recordSchema = productInputSchema.omit({ externalId: true });
const FIELDS = ['sku', 'name', 'description', 'unitPriceMinor', 'currency', 'active'] as const;
type Field = (typeof FIELDS)[number];

interface Planned {
  index: number;
  item: ExternalItem;
  values: ExternalProductValues;
  /** The live product before (an update), or undefined (new, or a deleted one coming back). */
  before?: Product;
  conflicts: { field: string; incoming: unknown }[];
}

/**
 * Upserts a batch of products by (system, external id): every item validated as its single create
 * (new) or update (known) would be, a SKU another product holds refused per item, then one
 * INSERT … ON CONFLICT … DO UPDATE … WHERE changed for the rest, and their events in one outbox
 * insert per kind, in one transaction. CRM-owned fields are written on create only; an incoming
 * value that differs on update is the item's conflict, not applied.
 */
@Injectable()
export class UpsertProductsExternalService {
  constructor(
    private readonly products: ProductExternalRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async upsert(tenantId: string, { system, crmOwnedFields, items }: RpcRequest<typeof upsertProductsByExternalId>): Promise<{ results: ExternalItemResult[] }> {
    const results = new Map<number, ExternalItemResult>();
    const { unique, repeated } = firstOccurrences(items);
    repeated.forEach((result, index) => results.set(index, result));

    const stored = new Map(
      (
        await this.products.byExternalIds(
          tenantId,
          system,
          [...unique.values()].map((item) => item.externalId),
        )
      ).map((row) => [row.external_id as string, row]),
    );
    const owned = new Set(crmOwnedFields);
    const planned: Planned[] = [];
    for (const [index, item] of unique) {
      const plan = planItem(index, item, stored.get(item.externalId), owned);
      if ('outcome' in plan) results.set(index, plan);
      else planned.push(plan);
    }

    const writable = await this.withoutTakenSkus(tenantId, planned, results);
    const now = new Date();
    const written = writable.length
      ? await this.products.upsert(
          tenantId,
          system,
          writable.map((p) => p.values),
          now,
        )
      : [];
    const byExternalId = new Map(written.map((row) => [row.external_id as string, row]));

    const created: { data: { product: Product }; meta: { tenantId: string; subject: string; entityVersion: number } }[] = [];
    const updated: { data: { product: Product; changed: string[] }; meta: { tenantId: string; subject: string; entityVersion: number } }[] = [];
    for (const plan of writable) {
      const row = byExternalId.get(plan.item.externalId);
      const conflicts = plan.conflicts.length ? { conflicts: plan.conflicts } : {};
      if (!row) {
        results.set(plan.index, { ...resultOf(plan.item), outcome: 'unchanged', id: plan.values.id, ...conflicts });
        continue;
      }
      const product = toProduct(row);
      const meta = { tenantId, subject: product.id, entityVersion: product.version };
      if (!plan.before) {
        created.push({ data: { product }, meta });
        results.set(plan.index, { ...resultOf(plan.item), outcome: 'created', id: product.id, ...conflicts });
      } else {
        const before = plan.before;
        const changed = FIELDS.filter((field) => !isDeepStrictEqual(product[field], before[field]));
        updated.push({ data: { product, changed: [...changed] }, meta });
        results.set(plan.index, { ...resultOf(plan.item), outcome: 'updated', id: product.id, ...conflicts });
      }
    }
    if (created.length) await this.events.publishMany(productCreated, created);
    if (updated.length) await this.events.publishMany(productUpdated, updated);
    return { results: items.map((_, index) => results.get(index) as ExternalItemResult) };
  }

  /** Items whose SKU another product holds (or an earlier item of the batch takes) fail alone: the statement never breaks on it. */
  private async withoutTakenSkus(tenantId: string, planned: Planned[], results: Map<number, ExternalItemResult>): Promise<Planned[]> {
    const holders = await this.products.skuHolders(tenantId, [...new Set(planned.map((p) => p.values.sku))]);
    const takenInBatch = new Map<string, string>();
    return planned.filter((plan) => {
      const holder = holders.get(plan.values.sku);
      const batchHolder = takenInBatch.get(plan.values.sku);
      if ((holder && holder !== plan.values.id) || (batchHolder && batchHolder !== plan.values.id)) {
        results.set(
          plan.index,
          failedItem(
            plan.item,
            'CONFLICT',
            'Another product has this SKU.',
            [{ field: 'record.sku', message: 'Another product has this SKU.' }],
            plan.before?.id,
          ),
        );
        return false;
      }
      takenInBatch.set(plan.values.sku, plan.values.id);
      return true;
    });
  }
}

/** The row an item writes, or its failure. A deleted product is written whole again, as a new one. */
function planItem(index: number, given: ExternalItem, stored: ProductRow | undefined, owned: Set<string>): Planned | ExternalItemResult {
  const item = { ...given, record: typedCells(given.record, ['unitPriceMinor'], ['active']) };
  const live = stored && !stored.deleted_at ? toProduct(stored) : undefined;
  if (!live) {
    const checked = checkAgainst(recordSchema, item.record);
    if (!checked.ok) return invalidItem(item, checked.issues);
    const p = checked.data;
    return {
      index,
      item,
      values: {
        id: stored?.id ?? randomUUID(),
        sku: p.sku,
        name: p.name,
        description: p.description ?? null,
        unitPriceMinor: p.unitPriceMinor,
        currency: p.currency,
        active: p.active ?? true,
        externalId: item.externalId,
      },
      conflicts: [],
    };
  }
  const checked = checkAgainst(recordSchema.partial(), item.record);
  if (!checked.ok) return invalidItem(item, checked.issues, live.id);
  const next: Record<Field, unknown> = { ...pick(live) };
  const conflicts: { field: string; incoming: unknown }[] = [];
  for (const field of FIELDS) {
    const incoming = checked.data[field];
    if (incoming === undefined) continue;
    if (owned.has(field)) {
      if (!isDeepStrictEqual(incoming, live[field])) conflicts.push({ field, incoming });
    } else {
      next[field] = incoming;
    }
  }
  return {
    index,
    item,
    before: live,
    values: {
      id: live.id,
      sku: next.sku as string,
      name: next.name as string,
      description: (next.description as string | null) ?? null,
      unitPriceMinor: next.unitPriceMinor as number,
      currency: next.currency as string,
      active: next.active as boolean,
      externalId: item.externalId,
    },
    conflicts,
  };
}

function pick(product: Product): Record<Field, unknown> {
  return Object.fromEntries(FIELDS.map((field) => [field, product[field]])) as Record<Field, unknown>;
}
