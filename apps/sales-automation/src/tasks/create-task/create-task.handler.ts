import { Controller } from '@nestjs/common';
import { createTask, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateTaskService } from './create-task.service';

@Controller()
export class CreateTaskHandler {
  constructor(private readonly service: CreateTaskService) {}

  @OnRpc(createTask, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createTask>, { actor }: TenantCallContext) {
    return this.service.create(actor, request);
  }
}
