import { Injectable } from '@nestjs/common';
import { completeTask, RpcRequest, Task, taskCompleted } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { changedMeanwhile, checkVersion, taskNotFound } from '../task-errors';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';

/** Done, with the time it was done; a task already done answers as it is (no second event). */
@Injectable()
export class CompleteTaskService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async complete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof completeTask>): Promise<Task> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw taskNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (row.done) return toTask(row);
    const updated = await this.repository.update(tenantId, id, row.version, { done: true, completed_at: new Date() });
    if (!updated) throw changedMeanwhile();
    const task = toTask(updated);
    await this.events.publish(taskCompleted, { task }, { tenantId, subject: id, entityVersion: task.version });
    return task;
  }
}
