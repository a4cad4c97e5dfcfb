import { Controller } from '@nestjs/common';
import { createProduct, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateProductService } from './create-product.service';

@Controller()
export class CreateProductHandler {
  constructor(private readonly service: CreateProductService) {}

  @OnRpc(createProduct, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createProduct>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
