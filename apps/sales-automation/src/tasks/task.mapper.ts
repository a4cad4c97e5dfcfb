import type { Selectable } from 'kysely';
import type { Task } from '@crm/contracts';
import type { Task as TaskTable } from '../generated/kysely/database';

export type TaskRow = Selectable<TaskTable>;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** A task row as replies and events carry it. */
export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    dueAt: iso(row.due_at),
    reminderAt: iso(row.reminder_at),
    assigneeId: row.assignee_id,
    relatedType: row.related_type as Task['relatedType'],
    relatedId: row.related_id,
    done: row.done,
    completedAt: iso(row.completed_at),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
