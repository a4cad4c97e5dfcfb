import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor, createTask, RpcRequest, Task, taskCreated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { validationFailed } from '../task-errors';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';
import { taskColumns, taskProblems } from '../task-values';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A new open task, assigned to the caller unless the input names an assignee (or null: nobody).
 * `id`: an automation's own id for it (derived from the step that makes it): a repeat of that
 * step after a crash answers the task it made, and makes nothing new.
 */
@Injectable()
export class CreateTaskService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(actor: Actor, { task: input }: RpcRequest<typeof createTask>, options: { id?: string } = {}): Promise<Task> {
    if (options.id) {
      const made = await this.repository.findLive(actor.tenantId, options.id);
      if (made) return toTask(made);
    }
    const fields = {
      title: input.title,
      notes: input.notes ?? null,
      dueAt: input.dueAt ?? null,
      reminderAt: input.reminderAt ?? null,
      assigneeId: input.assigneeId === undefined ? callerAsAssignee(actor) : input.assigneeId,
      relatedType: input.relatedType ?? null,
      relatedId: input.relatedId ?? null,
    };
    const problems = taskProblems(fields, 'task.');
    if (problems.length) throw validationFailed(problems);
    const task = toTask(await this.repository.insert(actor.tenantId, { id: options.id ?? randomUUID(), ...taskColumns(fields) }));
    await this.events.publish(taskCreated, { task }, { tenantId: actor.tenantId, subject: task.id, entityVersion: task.version });
    return task;
  }
}

/** The caller's user id is a uuid for the gateway's users; anything else cannot be an assignee. */
export function callerAsAssignee(actor: Actor): string | null {
  return UUID.test(actor.userId) ? actor.userId : null;
}
