import type { ContractIssue, Task } from '@crm/contracts';

/** What a task is written from: the contract's fields (times as ISO text). */
export type TaskFields = Pick<Task, 'title' | 'notes' | 'dueAt' | 'reminderAt' | 'assigneeId' | 'relatedType' | 'relatedId'>;

/** The rules across fields, for the whole task after a patch: problems name the field at `prefix`. */
export function taskProblems(task: TaskFields, prefix: string): ContractIssue[] {
  const problems: ContractIssue[] = [];
  if (task.dueAt && task.reminderAt && Date.parse(task.reminderAt) > Date.parse(task.dueAt)) {
    problems.push({ path: `${prefix}reminderAt`, message: 'must not be after dueAt', code: 'custom' });
  }
  if ((task.relatedType === null) !== (task.relatedId === null)) {
    problems.push({ path: `${prefix}relatedId`, message: 'relatedType and relatedId go together', code: 'custom' });
  }
  return problems;
}

const toDate = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** The row's columns of the fields. */
export function taskColumns(task: TaskFields) {
  return {
    title: task.title,
    notes: task.notes,
    due_at: toDate(task.dueAt),
    reminder_at: toDate(task.reminderAt),
    assignee_id: task.assigneeId,
    related_type: task.relatedType,
    related_id: task.relatedId,
  };
}
