import { Controller } from '@nestjs/common';
import { deleteProduct, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteProductService } from './delete-product.service';

@Controller()
export class DeleteProductHandler {
  constructor(private readonly service: DeleteProductService) {}

  @OnRpc(deleteProduct, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteProduct>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
