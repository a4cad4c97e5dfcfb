import { Controller } from '@nestjs/common';
import { deleteProductsByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteProductsExternalService } from './delete-products-external.service';

@Controller()
export class DeleteProductsExternalHandler {
  constructor(private readonly service: DeleteProductsExternalService) {}

  @OnRpc(deleteProductsByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteProductsByExternalId>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
