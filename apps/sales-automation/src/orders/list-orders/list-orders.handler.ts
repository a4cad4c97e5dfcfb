import { Controller } from '@nestjs/common';
import { listOrders, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListOrdersService } from './list-orders.service';

@Controller()
export class ListOrdersHandler {
  constructor(private readonly service: ListOrdersService) {}

  @OnRpc(listOrders, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listOrders>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
