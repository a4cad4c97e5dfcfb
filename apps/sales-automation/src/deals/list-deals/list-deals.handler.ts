import { Controller } from '@nestjs/common';
import { listDeals, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListDealsService } from './list-deals.service';

@Controller()
export class ListDealsHandler {
  constructor(private readonly service: ListDealsService) {}

  @OnRpc(listDeals, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listDeals>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
