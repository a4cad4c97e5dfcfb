import { Controller } from '@nestjs/common';
import { listProducts, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListProductsService } from './list-products.service';

@Controller()
export class ListProductsHandler {
  constructor(private readonly service: ListProductsService) {}

  @OnRpc(listProducts, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listProducts>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
