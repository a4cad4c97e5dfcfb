import { Controller } from '@nestjs/common';
import { getProduct, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ProductRepository } from '../product.repository';
import { toProduct } from '../product.table';
import { notFound } from '../sales-errors';

@Controller()
export class GetProductHandler {
  constructor(private readonly products: ProductRepository) {}

  @OnRpc(getProduct, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getProduct>, { tenantId }: TenantCallContext) {
    const row = await this.products.find(tenantId, id);
    if (!row) throw notFound('Product', id);
    return toProduct(row);
  }
}
