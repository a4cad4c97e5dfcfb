import { randomUUID } from 'node:crypto';
import {
  Actor,
  contactCreated,
  contactUpdated,
  createLead,
  createTask,
  createWorkflowRule,
  disableWorkflowRule,
  EventEnvelope,
  fieldErrorsOf,
  getWorkflowRule,
  leadCreated,
  listWorkflowRuleRuns,
  orderRecorded,
  taskCreated,
  testWorkflowRule,
  updateWorkflowRule,
  workflowRuleInputSchema,
  WorkflowRuleRun,
} from '@crm/contracts';
import { RemoteError, RpcClient } from '@crm/messaging';
import { Clock, JobScheduler } from '@crm/service-kit';
import { pollUntil, testTokenFor } from '@crm/testing';
import { Counter, register } from 'prom-client';
import { z } from 'zod';
import { ContactEventsPublisher, contactsEnvelope } from '../testing/contact-events';
import { contactOf } from '../testing/contact-reference-builders';
import { OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { RecordingEmailDispatch, RecordingPortsModule, RecordingSequenceEnrolments } from './testing/recording-ports';
import { onEvent, orderRecordedStartsSequence, RuleInput } from './testing/rule-builders';
import { WORKFLOW_RULES_MINUTE_JOB } from './timed-rules/timed-rules.job';

const DAY = 86_400_000;

/** Polls until `probe` answers something (the service reacts to its events asynchronously). */
const until = <T>(probe: () => Promise<T | undefined>): Promise<T> => pollUntil('the service reacting', probe);

async function remoteError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}

describe('workflow rules', () => {
  let ctx: SalesAutomationTestContext;
  let orders: OrderBuilders;
  let bus: ContactEventsPublisher;
  let actor: Actor;
  let enrolments: RecordingSequenceEnrolments;
  let email: RecordingEmailDispatch;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start({ imports: [RecordingPortsModule] });
    orders = new OrderBuilders(ctx);
    bus = await ContactEventsPublisher.for(ctx);
    enrolments = ctx.service.app.get(RecordingSequenceEnrolments);
    email = ctx.service.app.get(RecordingEmailDispatch);
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
  });
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
  });

  const createRule = (rule: RuleInput, as = actor) => ctx.call(createWorkflowRule, { rule: workflowRuleInputSchema.parse(rule) }, as);
  /** Sends the payload as is: the service's own check answers (the client's is skipped). */
  const callUnchecked = (contract: { name: string }, payload: unknown, as = actor) =>
    ctx.service.app
      .get(RpcClient)
      .call({ ...(contract as never as object), request: z.unknown() } as never, payload as never, { token: testTokenFor(as), timeoutMs: 10_000 });
  const runsOf = async (ruleId: string, as = actor): Promise<WorkflowRuleRun[]> => (await ctx.call(listWorkflowRuleRuns, { id: ruleId, limit: 100 }, as)).data;
  const firstRun = (ruleId: string) => until(async () => (await runsOf(ruleId))[0]);
  const tasksOf = (tenantId: string) => ctx.database.selectFrom('task').selectAll().where('tenant_id', '=', tenantId).execute();
  const outboxEnvelope = async (type: string, subject: string) =>
    (await ctx.database.selectFrom('outbox_message').select('envelope').where('type', '=', type).where('subject', '=', subject).executeTakeFirstOrThrow())
      .envelope as EventEnvelope;
  const duplicates = async () => {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    return values.filter((v) => v.labels['outcome'] === 'duplicate' && v.labels['type'] === orderRecorded.name).reduce((sum, v) => sum + v.value, 0);
  };

  it('an order recorded starts the sequence for its contact with the order in context, once even when the event comes twice', async () => {
    const sequenceId = randomUUID();
    const rule = await createRule(orderRecordedStartsSequence(sequenceId));
    const order = await orders.newOrder(actor);
    const run = await firstRun(rule.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      ruleVersion: 1,
      triggerEventType: orderRecorded.name,
      steps: [{ index: 0, type: 'startSequence', status: 'succeeded' }],
    });
    const mine = () => enrolments.enrolled.filter((e) => e.tenantId === actor.tenantId);
    expect(mine()).toEqual([
      { tenantId: actor.tenantId, sequenceId, contactId: order.contactId, source: { kind: 'rule', id: rule.id }, context: { orderId: order.id } },
    ]);

    const envelope = await outboxEnvelope(orderRecorded.name, order.id);
    expect(run.triggerEventId).toBe(envelope.id);
    const before = await duplicates();
    await bus.deliver(envelope).catch(() => undefined);
    await until(async () => ((await duplicates()) > before ? true : undefined));
    expect(mine()).toHaveLength(1);
    expect(await runsOf(rule.id)).toHaveLength(1);
  });

  it('sends a template through EmailDispatch with a send key per rule, event and action', async () => {
    const templateId = randomUUID();
    const rule = await createRule(onEvent(orderRecorded.name, [{ type: 'sendEmail', templateId }]));
    const order = await orders.newOrder(actor);
    const run = await firstRun(rule.id);
    expect(run.status).toBe('succeeded');
    expect(email.sent.filter((s) => s.tenantId === actor.tenantId)).toEqual([
      expect.objectContaining({
        templateId,
        contactId: order.contactId,
        sendKey: `rule:${rule.id}:${run.triggerEventId}:0`,
        source: { kind: 'rule', id: rule.id },
      }),
    ]);
  });

  it('records a false condition as skipped and a condition on a missing field as failed with its code', async () => {
    const big = await createRule(
      onEvent(orderRecorded.name, [{ type: 'createTask', title: 'big order' }], { condition: { '>': [{ var: 'record.totalMinor' }, 1_000_000] } }),
    );
    const missing = await createRule(
      onEvent(orderRecorded.name, [{ type: 'createTask', title: 'never' }], { condition: { '==': [{ var: 'record.loyaltyTier' }, 'gold'] } }),
    );
    await orders.newOrder(actor);
    expect(await firstRun(big.id)).toMatchObject({ status: 'skipped', steps: [] });
    const failed = await firstRun(missing.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'CONDITION_FIELD_MISSING' });
    expect(failed.errorMessage).toContain('record.loyaltyTier');
    expect(await tasksOf(actor.tenantId)).toEqual([]);
  });

  it('refuses an invalid cron, an unknown event type, an unknown operator and a negative wait, naming the field', async () => {
    const fieldsOf = async (rule: unknown) =>
      fieldErrorsOf((await remoteError(callUnchecked(createWorkflowRule, { rule }), 'VALIDATION_FAILED')).details).map((e) => e);
    const actions = [{ type: 'createTask', title: 'x' }];
    const cron = await fieldsOf({ name: 'x', trigger: { kind: 'schedule', cron: '61 * * * *' }, actions });
    expect(cron).toEqual([expect.objectContaining({ field: 'rule.trigger.cron', message: expect.stringContaining('invalid cron') })]);
    expect((await fieldsOf({ name: 'x', trigger: { kind: 'event', type: 'sales-automation.order.exploded.v1' }, actions })).map((e) => e.field)).toEqual([
      'rule.trigger.type',
    ]);
    expect(
      (await fieldsOf({ name: 'x', trigger: { kind: 'event', type: orderRecorded.name }, condition: { method: ['x', 'constructor'] }, actions })).map(
        (e) => e.field,
      ),
    ).toEqual(['rule.condition']);
    const wait = await fieldsOf({ name: 'x', trigger: { kind: 'event', type: orderRecorded.name }, actions: [{ type: 'wait', days: -1 }] });
    expect(wait.map((e) => e.field)).toContain('rule.actions.0.days');
  });

  it('a disabled rule no longer fires', async () => {
    const rule = await createRule(onEvent(orderRecorded.name, [{ type: 'createTask', title: 'follow up' }]));
    await ctx.call(disableWorkflowRule, { id: rule.id, expectedVersion: rule.version }, actor);
    const control = await createRule(onEvent(orderRecorded.name, [{ type: 'createTask', title: 'control' }]));
    await orders.newOrder(actor);
    await firstRun(control.id);
    expect(await runsOf(rule.id)).toEqual([]);
    expect((await tasksOf(actor.tenantId)).map((t) => t.title)).toEqual(['control']);
  });

  it("events applied together each run their own tenant's rules for their own type", async () => {
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await createRule(onEvent(contactCreated.name, [{ type: 'createTask', title: 'welcome' }]));
    await createRule(onEvent(contactUpdated.name, [{ type: 'createTask', title: 'changed' }]));
    await createRule(onEvent(contactCreated.name, [{ type: 'createTask', title: 'theirs' }]), other);
    const [ada, grace, theirs] = [contactOf(), contactOf({ firstName: 'Grace' }), contactOf()];
    const meta = (tenantId: string, subject: string, version: number) => ({ tenantId, subject, version });
    // Published together: the consumer applies them in one transaction, where the rules are read once per tenant and type.
    await bus.deliver(
      contactsEnvelope(contactCreated, { contact: ada }, meta(actor.tenantId, ada.id, 1)),
      contactsEnvelope(contactCreated, { contact: theirs }, meta(other.tenantId, theirs.id, 1)),
      contactsEnvelope(contactUpdated, { contact: { ...ada, lastName: 'King', version: 2 }, changed: ['lastName'] }, meta(actor.tenantId, ada.id, 2)),
      contactsEnvelope(contactCreated, { contact: grace }, meta(actor.tenantId, grace.id, 1)),
    );
    expect((await tasksOf(actor.tenantId)).map((t) => t.title).sort()).toEqual(['changed', 'welcome', 'welcome']);
    expect((await tasksOf(other.tenantId)).map((t) => t.title)).toEqual(['theirs']);
  });

  it('editing the actions makes version 2; the run history keeps version 1', async () => {
    const rule = await createRule(onEvent(orderRecorded.name, [{ type: 'createTask', title: 'first' }]));
    await orders.newOrder(actor);
    await firstRun(rule.id);
    await remoteError(ctx.call(updateWorkflowRule, { id: rule.id, expectedVersion: rule.version + 5, patch: { name: 'stale' } }, actor), 'PRECONDITION_FAILED');
    const edited = await ctx.call(
      updateWorkflowRule,
      { id: rule.id, expectedVersion: rule.version, patch: { actions: [{ type: 'createTask', title: 'second' }] } },
      actor,
    );
    expect(edited).toMatchObject({ currentVersion: 2, version: rule.version + 1, actions: [{ type: 'createTask', title: 'second' }] });
    await orders.newOrder(actor);
    const runs = await until(async () => {
      const all = await runsOf(rule.id);
      return all.length === 2 ? all : undefined;
    });
    expect(runs.map((r) => r.ruleVersion).sort()).toEqual([1, 2]);
    expect((await tasksOf(actor.tenantId)).map((t) => t.title).sort()).toEqual(['first', 'second']);
  });

  it('a dry run evaluates the condition and lists the actions without running any', async () => {
    const rule = await createRule(
      onEvent(orderRecorded.name, [{ type: 'createTask', title: 'call' }], { condition: { '>=': [{ var: 'record.totalMinor' }, 100] } }),
    );
    const result = await ctx.call(testWorkflowRule, { id: rule.id, event: { data: { order: { id: randomUUID(), totalMinor: 500 } } } }, actor);
    expect(result).toMatchObject({ conditionMatched: true, status: 'dry-run', steps: [{ index: 0, type: 'createTask', status: 'would-run' }] });
    const notMatched = await ctx.call(testWorkflowRule, { id: rule.id, event: { data: { order: { id: randomUUID(), totalMinor: 5 } } } }, actor);
    expect(notMatched).toMatchObject({ conditionMatched: false, status: 'skipped', steps: [] });
    const missing = await ctx.call(testWorkflowRule, { id: rule.id, event: { data: {} } }, actor);
    expect(missing).toMatchObject({ status: 'failed', errorCode: 'CONDITION_FIELD_MISSING' });
    expect(await tasksOf(actor.tenantId)).toEqual([]);
    expect(await runsOf(rule.id)).toEqual([]);
  });

  it('stops a rule that triggers itself at the depth limit', async () => {
    const rule = await createRule(onEvent(taskCreated.name, [{ type: 'createTask', title: 'again' }]));
    await ctx.call(createTask, { task: { title: 'by a user' } }, actor);
    const stopped = await until(async () => (await runsOf(rule.id)).find((r) => r.status === 'skipped'));
    expect(stopped.errorCode).toBe('DEPTH_LIMIT');
    const runs = await runsOf(rule.id);
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(5);
    expect(runs).toHaveLength(6);
    expect(await tasksOf(actor.tenantId)).toHaveLength(6);
  });

  const minuteJob = () => ctx.service.app.get(JobScheduler).handlerOf(WORKFLOW_RULES_MINUTE_JOB);
  /** Runs `fn` with the service's clock at `at` (the injected Clock every "now" of the rules reads). */
  const atTime = async (at: Date, fn: () => Promise<unknown>) => {
    const spy = jest.spyOn(ctx.service.app.get(Clock), 'now').mockReturnValue(at);
    try {
      await fn();
    } finally {
      spy.mockRestore();
    }
  };

  it('continues the actions after a wait when the minute job finds it due', async () => {
    const rule = await createRule(
      onEvent(orderRecorded.name, [
        { type: 'createTask', title: 'now' },
        { type: 'wait', days: 21 },
        { type: 'createTask', title: 'three weeks later' },
      ]),
    );
    const order = await orders.newOrder(actor);
    expect(await firstRun(rule.id)).toMatchObject({ status: 'waiting', finishedAt: null });
    const [wait] = await ctx.database.selectFrom('workflow_rule_wait').select('context').where('tenant_id', '=', actor.tenantId).execute();
    // The wait keeps ids only, not the event's data (lines, names) for three weeks.
    expect(JSON.stringify(wait.context)).not.toContain('Service hour');
    expect(JSON.stringify(wait.context)).toContain(order.contactId as string);
    const minuteJob = ctx.service.app.get(JobScheduler).handlerOf(WORKFLOW_RULES_MINUTE_JOB);
    await minuteJob();
    expect((await tasksOf(actor.tenantId)).map((t) => t.title)).toEqual(['now']);
    const clock = ctx.service.app.get(Clock);
    const later = new Date(Date.now() + 22 * DAY);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(later);
    try {
      await minuteJob();
    } finally {
      spy.mockRestore();
    }
    expect((await tasksOf(actor.tenantId)).map((t) => t.title).sort()).toEqual(['now', 'three weeks later']);
    expect(await firstRun(rule.id)).toMatchObject({
      status: 'succeeded',
      steps: [{ index: 0 }, { index: 1, type: 'wait' }, { index: 2, status: 'succeeded' }],
    });
  });

  it('records actions it cannot do as failed steps with a clear code', async () => {
    const rule = await createRule(onEvent(orderRecorded.name, [{ type: 'updateField', record: 'contact', field: 'firstName', value: 'Ada' }]));
    const hook = await createRule(onEvent(orderRecorded.name, [{ type: 'webhook', url: 'https://example.com/hook' }]));
    await orders.newOrder(actor);
    expect(await firstRun(rule.id)).toMatchObject({ status: 'failed', errorCode: 'NOT_SUPPORTED', steps: [{ status: 'failed', errorCode: 'NOT_SUPPORTED' }] });
    expect(await firstRun(hook.id)).toMatchObject({ status: 'failed', errorCode: 'NOT_SUPPORTED' });
  });

  it('assigns owners round robin and updates a field of the triggering lead; a field the lead lacks fails the step', async () => {
    const [ann, bob] = [randomUUID(), randomUUID()];
    const assign = await createRule(onEvent(leadCreated.name, [{ type: 'assignOwner', userIds: [ann, bob] }]));
    const score = await createRule(onEvent(leadCreated.name, [{ type: 'updateField', record: 'lead', field: 'score', value: 80 }]));
    const wrong = await createRule(onEvent(leadCreated.name, [{ type: 'updateField', record: 'lead', field: 'shoeSize', value: 44 }]));
    const leads = [];
    for (const firstName of ['Ada', 'Grace', 'Edsger']) leads.push(await ctx.call(createLead, { lead: { firstName, source: 'manual' } }, actor));
    await until(async () => ((await runsOf(assign.id)).length === 3 && (await runsOf(score.id)).length === 3 ? true : undefined));
    const rows = await Promise.all(
      leads.map((lead) => ctx.database.selectFrom('lead').select(['owner_id', 'score']).where('id', '=', lead.id).executeTakeFirstOrThrow()),
    );
    expect(rows.map((r) => r.owner_id)).toEqual([ann, bob, ann]);
    expect(rows.map((r) => r.score)).toEqual([80, 80, 80]);
    expect(await firstRun(wrong.id)).toMatchObject({ status: 'failed', errorCode: 'VALIDATION_FAILED', errorMessage: expect.stringContaining('shoeSize') });
  });

  it('runs a schedule rule once per cron tick, from the minute job with the clock', async () => {
    const rule = await createRule({
      name: 'daily',
      trigger: { kind: 'schedule', cron: '0 9 * * *', timeZone: 'UTC' },
      actions: [{ type: 'createTask', title: 'daily review' }],
    });
    const tomorrowNine = new Date(Date.now() + DAY);
    tomorrowNine.setUTCHours(9, 0, 30, 0);
    await atTime(tomorrowNine, async () => {
      await minuteJob()();
      await minuteJob()();
    });
    const runs = await runsOf(rule.id);
    expect(runs.map((r) => [r.status, r.triggerEventId])).toEqual([['succeeded', `schedule:${new Date(tomorrowNine.getTime() - 30_000).toISOString()}`]]);
    expect((await tasksOf(actor.tenantId)).map((t) => t.title)).toEqual(['daily review']);
  });

  it('runs a relative-date rule for a record whose date, moved by the offset, has come', async () => {
    const rule = await createRule({
      name: '3 days before',
      trigger: { kind: 'relativeDate', record: 'task', field: 'dueAt', offsetDays: -3 },
      actions: [{ type: 'stopSequence' }],
    });
    const due = await ctx.call(createTask, { task: { title: 'contract ends', dueAt: new Date(Date.now() + 10 * DAY).toISOString() } }, actor);
    await minuteJob()();
    expect(await runsOf(rule.id)).toEqual([]);
    await atTime(new Date(Date.now() + 7.5 * DAY), () => minuteJob()());
    const [run] = await runsOf(rule.id);
    // The task names no contact: the step fails, recorded (the run is what matters here).
    expect(run).toMatchObject({
      triggerEventId: `relative:${due.id}:${new Date(new Date(due.dueAt as string).getTime() - 3 * DAY).toISOString()}`,
      errorCode: 'NO_CONTACT',
    });
  });

  it("answers 404 for another tenant's rule", async () => {
    const rule = await createRule(onEvent(orderRecorded.name, [{ type: 'createTask', title: 'x' }]));
    const other: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    await remoteError(ctx.call(getWorkflowRule, { id: rule.id }, other), 'NOT_FOUND');
    await remoteError(ctx.call(updateWorkflowRule, { id: rule.id, patch: { name: 'mine' } }, other), 'NOT_FOUND');
    await remoteError(ctx.call(listWorkflowRuleRuns, { id: rule.id, limit: 10 }, other), 'NOT_FOUND');
    await remoteError(ctx.call(testWorkflowRule, { id: rule.id, event: { data: {} } }, other), 'NOT_FOUND');
    expect((await ctx.call(getWorkflowRule, { id: rule.id }, actor)).name).toBe(rule.name);
  });
});
