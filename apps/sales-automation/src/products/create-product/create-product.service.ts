import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createProduct, Product, productCreated, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { ProductRepository } from '../product.repository';
import { toProduct } from '../product.table';

/** Adds a product to the tenant's catalogue; a taken SKU or external id answers 409 naming the field. */
@Injectable()
export class CreateProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { product }: RpcRequest<typeof createProduct>): Promise<Product> {
    const now = new Date();
    const row = await this.products.insert({
      id: randomUUID(),
      tenant_id: tenantId,
      sku: product.sku,
      name: product.name,
      description: product.description ?? null,
      unit_price_minor: String(product.unitPriceMinor),
      currency: product.currency,
      active: product.active ?? true,
      external_id: product.externalId ?? null,
      created_at: now,
      updated_at: now,
    });
    const created = toProduct(row);
    await this.events.publish(productCreated, { product: created }, { tenantId, subject: created.id, entityVersion: created.version });
    return created;
  }
}
