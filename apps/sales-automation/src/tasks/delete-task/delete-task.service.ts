import { Injectable } from '@nestjs/common';
import { deleteTask, RpcRequest, taskDeleted } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { changedMeanwhile, checkVersion, taskNotFound } from '../task-errors';
import { TaskRepository } from '../task.repository';

/** Soft delete: the task leaves every list and answers 404 from then on; publishes `task.deleted`. */
@Injectable()
export class DeleteTaskService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteTask>): Promise<{ id: string }> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw taskNotFound(id);
    checkVersion(expectedVersion, row.version);
    const deletedAt = new Date();
    const deleted = await this.repository.update(tenantId, id, row.version, { deleted_at: deletedAt });
    if (!deleted) throw changedMeanwhile();
    await this.events.publish(taskDeleted, { taskId: id, deletedAt: deletedAt.toISOString() }, { tenantId, subject: id, entityVersion: deleted.version });
    return { id };
  }
}
