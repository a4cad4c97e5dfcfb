import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { RpcRequest, Task, taskUpdated, updateTask } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { changedMeanwhile, checkVersion, taskNotFound, validationFailed } from '../task-errors';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';
import { TaskFields, taskColumns, taskProblems } from '../task-values';

const FIELDS = ['title', 'notes', 'dueAt', 'reminderAt', 'assigneeId', 'relatedType', 'relatedId'] as const satisfies readonly (keyof TaskFields)[];

/**
 * Patch semantics: absent fields stay, null clears. The task after the patch is checked as a
 * whole (a reminder not after the due time), problems naming `patch.<field>`. A patch that
 * changes nothing answers the task as it is (same version, no event); a change publishes
 * `task.updated` with the fields it changed.
 */
@Injectable()
export class UpdateTaskService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateTask>): Promise<Task> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw taskNotFound(id);
    const before = toTask(row);
    checkVersion(expectedVersion, before.version);
    const current: TaskFields = {
      title: before.title,
      notes: before.notes,
      dueAt: before.dueAt,
      reminderAt: before.reminderAt,
      assigneeId: before.assigneeId,
      relatedType: before.relatedType,
      relatedId: before.relatedId,
    };
    const next = { ...current, ...definedOnly(patch) };
    const problems = taskProblems(next, 'patch.');
    if (problems.length) throw validationFailed(problems);
    const [nextValues, currentValues] = [normalised(next), normalised(current)];
    const changed = FIELDS.filter((field) => !isDeepStrictEqual(nextValues[field], currentValues[field]));
    if (!changed.length) return before;
    const updated = await this.repository.update(tenantId, id, before.version, taskColumns(next));
    if (!updated) throw changedMeanwhile();
    const task = toTask(updated);
    await this.events.publish(taskUpdated, { task, changed }, { tenantId, subject: id, entityVersion: task.version });
    return task;
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Times compared as instants (`+01:00` and `Z` of the same moment are no change). */
function normalised(task: TaskFields): TaskFields {
  const instant = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return { ...task, dueAt: instant(task.dueAt), reminderAt: instant(task.reminderAt) };
}
