import { randomUUID } from 'node:crypto';
import { Actor, createWorkflowRule, listWorkflowRuleRuns, orderRecorded, WorkflowRuleRun } from '@crm/contracts';
import { OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { onEvent } from './testing/rule-builders';

/** The service without the email and sequences modules (they are other parts of issue 14): a rule needing them records PORT_UNAVAILABLE. */
describe('workflow rules without the email and sequences ports', () => {
  let ctx: SalesAutomationTestContext;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('records PORT_UNAVAILABLE on the step, never crashing the consumer', async () => {
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    const rule = await ctx.call(createWorkflowRule, { rule: onEvent(orderRecorded.name, [{ type: 'startSequence', sequenceId: randomUUID() }]) }, actor);
    const mail = await ctx.call(createWorkflowRule, { rule: onEvent(orderRecorded.name, [{ type: 'sendEmail', templateId: randomUUID() }]) }, actor);
    await new OrderBuilders(ctx).newOrder(actor);
    const runOf = async (id: string): Promise<WorkflowRuleRun> => {
      for (;;) {
        const [run] = (await ctx.call(listWorkflowRuleRuns, { id, limit: 10 }, actor)).data;
        if (run) return run;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    expect(await runOf(rule.id)).toMatchObject({
      status: 'failed',
      errorCode: 'PORT_UNAVAILABLE',
      steps: [{ type: 'startSequence', status: 'failed', errorCode: 'PORT_UNAVAILABLE' }],
    });
    expect(await runOf(mail.id)).toMatchObject({ status: 'failed', errorCode: 'PORT_UNAVAILABLE' });
  });
});
