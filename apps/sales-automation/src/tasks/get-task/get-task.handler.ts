import { Controller } from '@nestjs/common';
import { getTask, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { taskNotFound } from '../task-errors';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';

@Controller()
export class GetTaskHandler {
  constructor(private readonly repository: TaskRepository) {}

  @OnRpc(getTask, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getTask>, { tenantId }: TenantCallContext) {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw taskNotFound(id);
    return toTask(row);
  }
}
