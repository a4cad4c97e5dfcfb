import { Controller } from '@nestjs/common';
import { deleteTask, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteTaskService } from './delete-task.service';

@Controller()
export class DeleteTaskHandler {
  constructor(private readonly service: DeleteTaskService) {}

  @OnRpc(deleteTask, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteTask>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
