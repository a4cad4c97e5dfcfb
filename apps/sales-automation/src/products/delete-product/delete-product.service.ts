import { Injectable } from '@nestjs/common';
import { DomainError, deleteProduct, productDeleted, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { ProductRepository } from '../product.repository';
import { checkVersion, notFound } from '../sales-errors';

/** Soft delete: orders keep their copy of the product's SKU, name and price. */
@Injectable()
export class DeleteProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteProduct>) {
    const before = await this.products.find(tenantId, id);
    if (!before) throw notFound('Product', id);
    checkVersion(expectedVersion, before.version);
    const now = new Date();
    const row = await this.products.update(tenantId, id, before.version, { deleted_at: now });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The product changed meanwhile; read it again.');
    await this.events.publish(productDeleted, { productId: id, deletedAt: now.toISOString() }, { tenantId, subject: id, entityVersion: row.version });
    return { id, deleted: true as const };
  }
}
