import { Controller } from '@nestjs/common';
import { listInteractions, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListInteractionsService } from './list-interactions.service';

@Controller()
export class ListInteractionsHandler {
  constructor(private readonly service: ListInteractionsService) {}

  @OnRpc(listInteractions, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listInteractions>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
