import { Controller } from '@nestjs/common';
import { completeTask, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CompleteTaskService } from './complete-task.service';

@Controller()
export class CompleteTaskHandler {
  constructor(private readonly service: CompleteTaskService) {}

  @OnRpc(completeTask, { scope: 'tenant' })
  handle(request: RpcRequest<typeof completeTask>, { tenantId }: TenantCallContext) {
    return this.service.complete(tenantId, request);
  }
}
