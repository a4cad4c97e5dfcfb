import { randomUUID } from 'node:crypto';
import { Actor, createTask, taskCreated } from '@crm/contracts';
import { MessageContext } from '@crm/messaging';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { CreateTaskService } from '../tasks/create-task/create-task.service';
import { AutomationEvent, AutomationEvents } from './automation-events';

describe('AutomationEvents', () => {
  let ctx: SalesAutomationTestContext;
  const seen: AutomationEvent[] = [];
  const waiters: Array<{ match: (e: AutomationEvent) => boolean; resolve: (e: AutomationEvent) => void }> = [];
  const next = (match: (e: AutomationEvent) => boolean) =>
    new Promise<AutomationEvent>((resolve) => {
      const found = seen.find(match);
      if (found) resolve(found);
      else waiters.push({ match, resolve });
    });

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    ctx.service.app.get(AutomationEvents).listen('spec', async (event) => {
      seen.push(event);
      waiters.filter((w) => w.match(event)).forEach((w) => w.resolve(event));
    });
  });
  afterAll(() => ctx?.close());

  it("gets this service's own events back over the bus, with the envelope's id and depth 0 for a user's act", async () => {
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['sales'] };
    const task = await ctx.call(createTask, { task: { title: 'Call Ada' } }, actor);
    const event = await next((e) => e.type === taskCreated.name && (e.data['task'] as { id: string }).id === task.id);
    const [row] = await ctx.database.selectFrom('outbox_message').select('id').where('type', '=', taskCreated.name).where('subject', '=', task.id).execute();
    expect(event).toMatchObject({ id: row.id, tenantId: actor.tenantId, automationDepth: 0 });
  });

  it('carries the automation depth of what published the event', async () => {
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['sales'] };
    const create = ctx.service.app.get(CreateTaskService);
    const task = await ctx.service.app.get(MessageContext).withAutomationDepth(3, () => create.create(actor, { task: { title: 'by a rule' } }));
    const event = await next((e) => e.type === taskCreated.name && (e.data['task'] as { id: string }).id === task.id);
    expect(event.automationDepth).toBe(3);
  });
});

describe('AutomationEvents: the order listeners run in', () => {
  it('runs the exits phase before the reactions, whatever order they registered in', async () => {
    const events = new AutomationEvents();
    const calls: string[] = [];
    events.listen('rules', async () => void calls.push('rules'));
    events.listen('sequence-exits', async () => void calls.push('sequence-exits'), 'exits');
    events.listen('other', async () => void calls.push('other'), 'reactions');
    await events.emit({ id: randomUUID(), type: 'sales-automation.order.recorded.v1', tenantId: 't', time: new Date().toISOString(), data: {} });
    expect(calls).toEqual(['sequence-exits', 'rules', 'other']);
    expect(() => events.listen('rules', async () => undefined)).toThrow(/registered twice/);
  });
});
