import { randomUUID } from 'node:crypto';
import {
  Actor,
  completeTask,
  createTask,
  deleteTask,
  fieldErrorsOf,
  getTask,
  listTasks,
  Task,
  taskCompleted,
  taskCreated,
  taskDeleted,
  taskReminderDue,
  taskUpdated,
  updateTask,
} from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { TaskRemindersService } from './task-reminders/task-reminders.service';

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

async function remoteError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}
const fieldsOf = (error: RemoteError) => fieldErrorsOf(error.details).map((e) => e.field);

describe('tasks', () => {
  let ctx: SalesAutomationTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['sales'] };
  });

  const create = (task: Partial<Task> & { title: string }, as = actor) => ctx.call(createTask, { task }, as);
  const eventsOf = (type: string, subject: string) =>
    ctx.database.selectFrom('outbox_message').select(['type', 'envelope']).where('type', '=', type).where('subject', '=', subject).execute();

  it('creates a task assigned to the caller, publishes task.created, and reads it back', async () => {
    const relatedId = randomUUID();
    const task = await create({ title: 'Call Ada', notes: 'about the renewal', dueAt: at(HOUR), reminderAt: at(HOUR / 2), relatedType: 'contact', relatedId });
    expect(task).toMatchObject({ title: 'Call Ada', assigneeId: actor.userId, relatedType: 'contact', relatedId, done: false, completedAt: null, version: 1 });
    expect(await ctx.call(getTask, { id: task.id }, actor)).toEqual(task);
    expect(await eventsOf(taskCreated.name, task.id)).toHaveLength(1);
  });

  it('refuses a reminder after the due time and a half related record, naming the field', async () => {
    const late = await remoteError(create({ title: 'x', dueAt: at(HOUR), reminderAt: at(2 * HOUR) }), 'VALIDATION_FAILED');
    expect(fieldsOf(late)).toContain('task.reminderAt');
    const half = await remoteError(create({ title: 'x', relatedType: 'deal' }), 'VALIDATION_FAILED');
    expect(fieldsOf(half)).toContain('task.relatedId');
    const task = await create({ title: 'x', dueAt: at(HOUR) });
    const patched = await remoteError(ctx.call(updateTask, { id: task.id, patch: { reminderAt: at(2 * HOUR) } }, actor), 'VALIDATION_FAILED');
    expect(fieldsOf(patched)).toEqual(['patch.reminderAt']);
  });

  it('lists my open tasks overdue first (oldest due first), then upcoming, then undated, page by page', async () => {
    const undated = await create({ title: 'undated' });
    const upcomingLater = await create({ title: 'in two days', dueAt: at(48 * HOUR) });
    const overdueRecent = await create({ title: 'an hour late', dueAt: at(-HOUR) });
    const upcomingSoon = await create({ title: 'in an hour', dueAt: at(HOUR) });
    const overdueOld = await create({ title: 'a day late', dueAt: at(-24 * HOUR) });
    const done = await create({ title: 'done', dueAt: at(-48 * HOUR) });
    await ctx.call(completeTask, { id: done.id }, actor);
    await create({ title: "someone else's", dueAt: at(-48 * HOUR), assigneeId: randomUUID() });

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.call(listTasks, { filter: { assignee: 'me', done: false }, limit: 2, cursor }, actor);
      expect(page.data.length).toBeLessThanOrEqual(2);
      ids.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual([overdueOld.id, overdueRecent.id, upcomingSoon.id, upcomingLater.id, undated.id]);
  });

  it('lists the tasks of a related record', async () => {
    const dealId = randomUUID();
    const a = await create({ title: 'a', relatedType: 'deal', relatedId: dealId, dueAt: at(HOUR) });
    const b = await create({ title: 'b', relatedType: 'deal', relatedId: dealId });
    await create({ title: 'other', relatedType: 'deal', relatedId: randomUUID() });
    const page = await ctx.call(listTasks, { filter: { relatedType: 'deal', relatedId: dealId }, limit: 25 }, actor);
    expect(page.data.map((t) => t.id)).toEqual([a.id, b.id]);
  });

  it('updates with If-Match (task.updated; stale: PRECONDITION_FAILED), completes once (task.completed), deletes (task.deleted)', async () => {
    const task = await create({ title: 'Send quote' });
    const updated = await ctx.call(updateTask, { id: task.id, expectedVersion: 1, patch: { title: 'Send the quote', dueAt: at(HOUR) } }, actor);
    expect(updated).toMatchObject({ title: 'Send the quote', version: 2 });
    expect(await ctx.call(updateTask, { id: task.id, patch: { title: 'Send the quote' } }, actor)).toEqual(updated);
    expect((await eventsOf(taskUpdated.name, task.id)).map((event) => (event.envelope as { data: unknown }).data)).toEqual([
      { task: updated, changed: ['title', 'dueAt'] },
    ]);
    await remoteError(ctx.call(updateTask, { id: task.id, expectedVersion: 1, patch: { title: 'stale' } }, actor), 'PRECONDITION_FAILED');
    const completed = await ctx.call(completeTask, { id: task.id, expectedVersion: 2 }, actor);
    expect(completed).toMatchObject({ done: true, version: 3 });
    expect(completed.completedAt).not.toBeNull();
    expect(await ctx.call(completeTask, { id: task.id }, actor)).toEqual(completed);
    expect(await eventsOf(taskCompleted.name, task.id)).toHaveLength(1);
    await remoteError(ctx.call(deleteTask, { id: task.id, expectedVersion: 1 }, actor), 'PRECONDITION_FAILED');
    await ctx.call(deleteTask, { id: task.id, expectedVersion: 3 }, actor);
    await remoteError(ctx.call(getTask, { id: task.id }, actor), 'NOT_FOUND');
    const deleted = await eventsOf(taskDeleted.name, task.id);
    expect(deleted.map((event) => (event.envelope as { data: unknown }).data)).toEqual([{ taskId: task.id, deletedAt: expect.any(String) }]);
  });

  it("answers another tenant's task as not found, and lists none of it", async () => {
    const task = await create({ title: 'mine' });
    const other: Actor = { tenantId: `tenant-${randomUUID()}`, userId: actor.userId, roles: ['admin'] };
    await remoteError(ctx.call(getTask, { id: task.id }, other), 'NOT_FOUND');
    await remoteError(ctx.call(updateTask, { id: task.id, patch: { title: 'theirs' } }, other), 'NOT_FOUND');
    await remoteError(ctx.call(completeTask, { id: task.id }, other), 'NOT_FOUND');
    expect((await ctx.call(listTasks, { filter: { assignee: 'me' }, limit: 25 }, other)).data).toEqual([]);
  });

  it('publishes reminder-due once when the reminder time has passed, and again for a new reminder time', async () => {
    const reminders = ctx.service.app.get(TaskRemindersService);
    const clock = ctx.service.app.get(Clock);
    const due = await create({ title: 'due', reminderAt: at(-60_000) });
    const later = await create({ title: 'later', dueAt: at(3 * HOUR), reminderAt: at(2 * HOUR) });
    const closed = await create({ title: 'done already', reminderAt: at(-60_000) });
    await ctx.call(completeTask, { id: closed.id }, actor);

    await reminders.publishDue();
    await reminders.publishDue();
    expect(await eventsOf(taskReminderDue.name, due.id)).toHaveLength(1);
    expect(await eventsOf(taskReminderDue.name, later.id)).toHaveLength(0);
    expect(await eventsOf(taskReminderDue.name, closed.id)).toHaveLength(0);

    // The injected clock two and a half hours on: the later reminder is due now.
    const now = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 2.5 * HOUR));
    try {
      await reminders.publishDue();
      expect(await eventsOf(taskReminderDue.name, later.id)).toHaveLength(1);
      // A new reminder time is reminded of again.
      await ctx.call(updateTask, { id: due.id, patch: { reminderAt: at(HOUR) } }, actor);
      await reminders.publishDue();
      await reminders.publishDue();
    } finally {
      now.mockRestore();
    }
    expect(await eventsOf(taskReminderDue.name, due.id)).toHaveLength(2);
    expect(await eventsOf(taskReminderDue.name, later.id)).toHaveLength(1);
  });
});
