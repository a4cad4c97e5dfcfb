import { Injectable } from '@nestjs/common';
import { deleteProductsByExternalId, ExternalItemResult, productDeleted, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { failedItem, firstOccurrences, resultOf } from '@crm/service-kit';
import { ProductExternalRepository } from '../product-external.repository';

/** Soft-deletes a batch of products by external id in one statement: `deleted`, or `failed` NOT_FOUND (unknown, or deleted already). */
@Injectable()
export class DeleteProductsExternalService {
  constructor(
    private readonly products: ProductExternalRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { system, items }: RpcRequest<typeof deleteProductsByExternalId>): Promise<{ results: ExternalItemResult[] }> {
    const { unique, repeated } = firstOccurrences(items);
    const now = new Date();
    const deleted = new Map(
      (
        await this.products.softDelete(
          tenantId,
          system,
          [...unique.values()].map((item) => item.externalId),
          now,
        )
      ).map((row) => [row.external_id as string, row]),
    );
    const deletedAt = now.toISOString();
    await this.events.publishMany(
      productDeleted,
      [...deleted.values()].map((row) => ({ data: { productId: row.id, deletedAt }, meta: { tenantId, subject: row.id, entityVersion: row.version } })),
    );
    const results = items.map((item, index): ExternalItemResult => {
      const repeat = repeated.get(index);
      if (repeat) return repeat;
      const row = deleted.get(item.externalId);
      if (row) return { ...resultOf(item), outcome: 'deleted', id: row.id };
      return failedItem(item, 'NOT_FOUND', `Product ${system}/${item.externalId} not found.`, [{ field: 'externalId', message: 'no such product' }]);
    });
    return { results };
  }
}
