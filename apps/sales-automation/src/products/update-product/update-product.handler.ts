import { Controller } from '@nestjs/common';
import { RpcRequest, updateProduct } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateProductService } from './update-product.service';

@Controller()
export class UpdateProductHandler {
  constructor(private readonly service: UpdateProductService) {}

  @OnRpc(updateProduct, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateProduct>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
