import { Controller } from '@nestjs/common';
import { listInteractions, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ListInteractionsService } from './list-interactions.service';

@Controller()
export class ListInteractionsHandler {
  constructor(private readonly service: ListInteractionsService) {}

  @OnRpc(listInteractions)
  handle(request: RpcRequest<typeof listInteractions>, context: RpcCallContext) {
    return this.service.list(tenantOf(context), request);
  }
}
