import { Controller } from '@nestjs/common';
import { RpcRequest, updateTask } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateTaskService } from './update-task.service';

@Controller()
export class UpdateTaskHandler {
  constructor(private readonly service: UpdateTaskService) {}

  @OnRpc(updateTask, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateTask>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
