import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DomainError, Product, productUpdated, RpcRequest, updateProduct } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import type { Updateable } from 'kysely';
import type { Product as ProductTable } from '../../generated/kysely/database';
import { ProductRepository } from '../product.repository';
import { toProduct } from '../product.table';
import { checkVersion, notFound } from '../sales-errors';

const FIELDS = ['sku', 'name', 'description', 'unitPriceMinor', 'currency', 'active', 'externalId'] as const;

/** Patch semantics: absent fields stay; an empty patch answers the product as it is (same version). */
@Injectable()
export class UpdateProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateProduct>): Promise<Product> {
    const before = await this.products.find(tenantId, id);
    if (!before) throw notFound('Product', id);
    checkVersion(expectedVersion, before.version);
    const values: Updateable<ProductTable> = {
      ...(patch.sku !== undefined && { sku: patch.sku }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.unitPriceMinor !== undefined && { unit_price_minor: String(patch.unitPriceMinor) }),
      ...(patch.currency !== undefined && { currency: patch.currency }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(patch.externalId !== undefined && { external_id: patch.externalId }),
    };
    if (!Object.keys(values).length) return toProduct(before);
    const row = await this.products.update(tenantId, id, before.version, values);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The product changed meanwhile; read it again.');
    const [previous, product] = [toProduct(before), toProduct(row)];
    const changed = FIELDS.filter((field) => !isDeepStrictEqual(product[field], previous[field]));
    await this.events.publish(productUpdated, { product, changed: [...changed] }, { tenantId, subject: id, entityVersion: product.version });
    return product;
  }
}
