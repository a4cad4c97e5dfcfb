import { Controller } from '@nestjs/common';
import { listTasks, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListTasksService } from './list-tasks.service';

@Controller()
export class ListTasksHandler {
  constructor(private readonly service: ListTasksService) {}

  @OnRpc(listTasks, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listTasks>, { actor }: TenantCallContext) {
    return this.service.list(actor, request);
  }
}
