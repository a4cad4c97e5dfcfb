import { Controller } from '@nestjs/common';
import { DomainError, getProductByExternalId, Product, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ProductExternalRepository } from '../product-external.repository';
import { toProduct } from '../product.table';

@Controller()
export class GetProductExternalHandler {
  constructor(private readonly products: ProductExternalRepository) {}

  /** A live product by (system, external id); unknown, deleted and another tenant's answer the same 404. */
  @OnRpc(getProductByExternalId, { scope: 'tenant' })
  async handle({ system, externalId }: RpcRequest<typeof getProductByExternalId>, { tenantId }: TenantCallContext): Promise<Product> {
    const row = await this.products.findLive(tenantId, system, externalId);
    if (!row) throw new DomainError('NOT_FOUND', `Product ${system}/${externalId} not found.`);
    return toProduct(row);
  }
}
