import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  checkAgainst,
  ExternalItem,
  ExternalItemResult,
  Order,
  orderExternalRecordSchema,
  orderExternalUpdateSchema,
  RpcRequest,
  upsertOrdersByExternalId,
} from '@crm/contracts';
import type { z } from 'zod';
import { ProductExternalRepository } from '../../products/product-external.repository';
import { failedItem, firstOccurrences, invalidItem, itemFailure, resultOf, typedCells } from '@crm/service-kit';
import { OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';
import { RecordOrderService } from '../record-order/record-order.service';
import { ErpOrderFactsService, ErpOrderPatch } from './erp-order-facts.service';
import { OrderCustomers } from './order-customers';

type NewOrderRecord = z.infer<typeof orderExternalRecordSchema>;
const UPDATE_FIELDS = ['status', 'invoice', 'paymentStatus', 'paidAt'] as const;

/**
 * Upserts a batch of an ERP's orders by (system, external id). A new order is recorded by the
 * record-order use case (one statement with its lines and `order.recorded.v1`, so the customer's
 * timeline shows it); its customer named by the ERP's id is resolved by the contacts service in
 * one call, its lines' products by their external ids in one query. A known order takes the ERP's
 * later facts (ErpOrderFactsService). Every item succeeds or fails alone on its validation, its
 * customer, its products and its transitions (checked before anything is written). The command
 * runs in one transaction (the command inbox's): a database error, such as another call recording
 * the same ERP order at the same moment, fails the batch, and the caller's retry finds the order known.
 */
@Injectable()
export class UpsertOrdersExternalService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly products: ProductExternalRepository,
    private readonly customers: OrderCustomers,
    private readonly recordOrder: RecordOrderService,
    private readonly facts: ErpOrderFactsService,
  ) {}

  async upsert(tenantId: string, { system, crmOwnedFields, items }: RpcRequest<typeof upsertOrdersByExternalId>): Promise<{ results: ExternalItemResult[] }> {
    const results = new Map<number, ExternalItemResult>();
    const { unique, repeated } = firstOccurrences(items);
    repeated.forEach((result, index) => results.set(index, result));
    const known = new Map(
      (
        await this.orders.byExternalIds(
          tenantId,
          system,
          [...unique.values()].map((item) => item.externalId),
        )
      ).map((row) => [row.external_id as string, toOrder(row)]),
    );

    const fresh: { index: number; item: ExternalItem; record: NewOrderRecord }[] = [];
    for (const [index, item] of unique) {
      if (known.has(item.externalId)) continue;
      const checked = checkAgainst(orderExternalRecordSchema, withTypedLines(item.record));
      if (!checked.ok) results.set(index, invalidItem(item, checked.issues));
      else fresh.push({ index, item, record: checked.data });
    }
    const customerIds = await this.customers.resolve(system, [
      ...new Set(fresh.flatMap(({ record }) => (record.customerExternalId ? [record.customerExternalId] : []))),
    ]);
    const productIds = await this.products.resolve(tenantId, system, [
      ...new Set(fresh.flatMap(({ record }) => record.lines.flatMap((line) => (line.productExternalId ? [line.productExternalId] : [])))),
    ]);
    for (const { index, item, record } of fresh) {
      results.set(index, await this.create(tenantId, system, item, record, customerIds, productIds));
    }

    const owned = new Set(crmOwnedFields);
    for (const [index, item] of unique) {
      const order = known.get(item.externalId);
      if (order) results.set(index, await this.update(tenantId, item, order, owned));
    }
    return { results: items.map((_, index) => results.get(index) as ExternalItemResult) };
  }

  private async create(
    tenantId: string,
    system: string,
    item: ExternalItem,
    record: NewOrderRecord,
    customerIds: Map<string, string>,
    productIds: Map<string, string>,
  ): Promise<ExternalItemResult> {
    const { customerExternalId, lines, ...order } = record;
    const contactId = customerExternalId ? customerIds.get(customerExternalId) : order.contactId;
    if (customerExternalId && !contactId) {
      return failedItem(item, 'NOT_FOUND', `No contact has ${system} id ${customerExternalId}.`, [
        { field: 'record.customerExternalId', message: `no contact with this ${system} id` },
      ]);
    }
    const missing = lines.flatMap((line, i) =>
      line.productExternalId && !productIds.has(line.productExternalId)
        ? [{ field: `record.lines.${i}.productExternalId`, message: `no product with this ${system} id` }]
        : [],
    );
    if (missing.length) return failedItem(item, 'NOT_FOUND', `Unknown products: ${missing.map((m) => m.field).join(', ')}.`, missing);
    try {
      const recorded = await this.recordOrder.record(tenantId, {
        order: {
          ...order,
          contactId: contactId ?? null,
          externalId: item.externalId,
          externalSystem: system,
          lines: lines.map(({ productExternalId, ...line }) => (productExternalId ? { ...line, productId: productIds.get(productExternalId) } : line)),
        },
      });
      return { ...resultOf(item), outcome: 'created', id: recorded.id };
    } catch (error) {
      return itemFailure(item, error, 'order');
    }
  }

  private async update(tenantId: string, item: ExternalItem, order: Order, owned: Set<string>): Promise<ExternalItemResult> {
    const checked = checkAgainst(orderExternalUpdateSchema, item.record);
    if (!checked.ok) return invalidItem(item, checked.issues, order.id);
    const patch: ErpOrderPatch = {};
    const conflicts: { field: string; incoming: unknown }[] = [];
    for (const field of UPDATE_FIELDS) {
      const incoming = checked.data[field];
      if (incoming === undefined) continue;
      if (owned.has(field)) {
        if (!isDeepStrictEqual(incoming, order[field] ?? null)) conflicts.push({ field, incoming });
      } else {
        Object.assign(patch, { [field]: incoming });
      }
    }
    const withConflicts = conflicts.length ? { conflicts } : {};
    try {
      const { changed } = await this.facts.apply(tenantId, order.id, patch);
      return { ...resultOf(item), outcome: changed ? 'updated' : 'unchanged', id: order.id, ...withConflicts };
    } catch (error) {
      return { ...itemFailure(item, error, '', order.id), ...withConflicts };
    }
  }
}

/** A CSV row's lines (`lines.0.quantity` columns) carry text: their whole numbers are read from it. */
function withTypedLines(record: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(record['lines'])) return record;
  const lines = record['lines'].map((line: unknown) =>
    line && typeof line === 'object' && !Array.isArray(line)
      ? typedCells(line as Record<string, unknown>, ['quantity', 'unitPriceMinor', 'discountMinor'])
      : line,
  );
  return { ...record, lines };
}
