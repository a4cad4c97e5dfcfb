import { randomUUID } from 'node:crypto';
import { Actor, createWorkflowRule, listWorkflowRuleRuns, orderRecorded, WorkflowRuleRun } from '@crm/contracts';
import { pollUntil } from '@crm/testing';
import { OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { onEvent } from './testing/rule-builders';

/**
 * The service as it is deployed, with the real email and sequences modules behind the ports: a
 * rule naming a sequence or a template that does not exist records their NOT_FOUND on the run.
 */
describe('workflow rules whose steps cannot run', () => {
  let ctx: SalesAutomationTestContext;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
  });
  afterAll(() => ctx?.close());

  it("records the step's error code (NOT_FOUND of the sequences and email modules) on the run, never crashing the consumer", async () => {
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    const rule = await ctx.call(createWorkflowRule, { rule: onEvent(orderRecorded.name, [{ type: 'startSequence', sequenceId: randomUUID() }]) }, actor);
    const mail = await ctx.call(createWorkflowRule, { rule: onEvent(orderRecorded.name, [{ type: 'sendEmail', templateId: randomUUID() }]) }, actor);
    await new OrderBuilders(ctx).newOrder(actor);
    const runOf = (id: string): Promise<WorkflowRuleRun> =>
      pollUntil(`a run of rule ${id}`, async () => (await ctx.call(listWorkflowRuleRuns, { id, limit: 10 }, actor)).data[0]);
    expect(await runOf(rule.id)).toMatchObject({
      status: 'failed',
      errorCode: 'NOT_FOUND',
      steps: [{ type: 'startSequence', status: 'failed', errorCode: 'NOT_FOUND' }],
    });
    expect(await runOf(mail.id)).toMatchObject({
      status: 'failed',
      errorCode: 'NOT_FOUND',
      steps: [{ type: 'sendEmail', status: 'failed', errorCode: 'NOT_FOUND' }],
    });
  });
});
