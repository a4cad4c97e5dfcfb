import { randomUUID } from 'node:crypto';
import {
  createWorkflowRule,
  DomainError,
  disableWorkflowRule,
  enableWorkflowRule,
  getWorkflowRule,
  listWorkflowRuleRuns,
  listWorkflowRules,
  testWorkflowRule,
  updateWorkflowRule,
  validationFailed,
  WorkflowRule,
} from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * /api/v1/workflow-rules: one bus call each to the sales-automation service (a stand-in here that
 * keeps rules per tenant and answers as the service does), 400 naming the field, If-Match passed on.
 */
describe('workflow-rules routes', () => {
  const prefix = testBusPrefix();
  const rules = new Map<string, WorkflowRule & { tenantId: string }>();
  const calls: { name: string; request: Json }[] = [];
  let ctx: GatewayTestContext;
  let service: { close(): Promise<void> };
  let admin: SignedUp;

  const ruleOf = (tenantId: string, id: string) => {
    const rule = rules.get(id);
    if (!rule || rule.tenantId !== tenantId) throw new DomainError('NOT_FOUND', `workflow rule ${id} not found.`);
    return rule;
  };
  const answer = ({ tenantId: _tenant, ...rule }: WorkflowRule & { tenantId: string }) => rule;
  const setEnabled =
    (enabled: boolean) =>
    (request: unknown, { actor }: { actor: { tenantId: string } }) => {
      const { id } = request as { id: string };
      calls.push({ name: enabled ? 'enable' : 'disable', request });
      const rule = ruleOf(actor.tenantId, id);
      Object.assign(rule, { enabled, version: rule.version + 1 });
      return answer(rule);
    };

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    service = await startTestResponder({
      service: 'sales-automation',
      busPrefix: prefix,
      handlers: {
        [createWorkflowRule.name]: (request, { actor }) => {
          const { rule: input } = request as { rule: Json };
          if (input.trigger.kind === 'schedule' && input.trigger.cron === 'every day')
            throw validationFailed([{ path: 'rule.trigger.cron', message: 'invalid cron: bad' }]);
          const now = new Date().toISOString();
          const rule = { ...input, id: randomUUID(), currentVersion: 1, version: 1, createdAt: now, updatedAt: now, tenantId: actor.tenantId };
          rules.set(rule.id, rule);
          return answer(rule);
        },
        [getWorkflowRule.name]: (request, { actor }) => answer(ruleOf(actor.tenantId, (request as { id: string }).id)),
        [listWorkflowRules.name]: (_request, { actor }) => ({
          data: [...rules.values()].filter((r) => r.tenantId === actor.tenantId).map(answer),
          nextCursor: null,
        }),
        [updateWorkflowRule.name]: (request, { actor }) => {
          calls.push({ name: 'update', request });
          const { id, patch } = request as { id: string; patch: Json };
          const rule = ruleOf(actor.tenantId, id);
          Object.assign(rule, patch, { version: rule.version + 1 });
          return answer(rule);
        },
        [enableWorkflowRule.name]: setEnabled(true),
        [disableWorkflowRule.name]: setEnabled(false),
        [listWorkflowRuleRuns.name]: (request, { actor }) => {
          ruleOf(actor.tenantId, (request as { id: string }).id);
          return { data: [], nextCursor: null };
        },
        [testWorkflowRule.name]: (request, { actor }) => {
          calls.push({ name: 'test', request });
          ruleOf(actor.tenantId, (request as { id: string }).id);
          return {
            conditionMatched: true,
            status: 'dry-run',
            errorCode: null,
            errorMessage: null,
            steps: [{ index: 0, type: 'createTask', status: 'would-run' }],
          };
        },
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await service?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const body = { name: 'Big orders', trigger: { kind: 'event', type: 'sales-automation.order.recorded.v1' }, actions: [{ type: 'createTask', title: 'Call' }] };

  it('creates a rule (201, location, ETag), reads it back and lists it for the tenant only', async () => {
    const created = await ctx.post('/api/v1/workflow-rules', body, admin.accessToken);
    expect(created.status).toBe(201);
    const rule = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`/api/v1/workflow-rules/${rule.id}`);
    expect(rule).toMatchObject({ name: 'Big orders', enabled: true, condition: null, currentVersion: 1 });
    const read = await ctx.get(`/api/v1/workflow-rules/${rule.id}`, admin.accessToken);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(((await (await ctx.get('/api/v1/workflow-rules', admin.accessToken)).json()) as Json).data.map((r: Json) => r.id)).toContain(rule.id);
    const other = await ctx.signup();
    await expectProblem(await ctx.get(`/api/v1/workflow-rules/${rule.id}`, other.accessToken), 404);
    await expectProblem(await ctx.get(`/api/v1/workflow-rules/${rule.id}/runs`, other.accessToken), 404);
  });

  it('answers 400 naming the field: a negative wait (gateway), an invalid cron (service)', async () => {
    const wait = await expectProblem(await ctx.post('/api/v1/workflow-rules', { ...body, actions: [{ type: 'wait', days: -1 }] }, admin.accessToken), 400);
    expect(wait.errors.map((e: Json) => e.field)).toContain('actions.0.days');
    const cron = await expectProblem(
      await ctx.post('/api/v1/workflow-rules', { ...body, trigger: { kind: 'schedule', cron: 'every day' } }, admin.accessToken),
      400,
    );
    expect(cron.errors).toEqual([expect.objectContaining({ field: 'trigger.cron', message: expect.stringContaining('invalid cron') })]);
  });

  it('passes If-Match on update, enable and disable, and the sample event of a dry run', async () => {
    const rule = (await (await ctx.post('/api/v1/workflow-rules', body, admin.accessToken)).json()) as Json;
    const updated = await ctx.patch(`/api/v1/workflow-rules/${rule.id}`, { name: 'Renamed' }, admin.accessToken, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(calls.find((c) => c.name === 'update' && c.request.id === rule.id)?.request).toEqual({
      id: rule.id,
      expectedVersion: 1,
      patch: { name: 'Renamed' },
    });
    const disabled = await ctx.post(`/api/v1/workflow-rules/${rule.id}/disable`, undefined, admin.accessToken, { 'if-match': '"2"' });
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as Json).enabled).toBe(false);
    expect(calls.find((c) => c.name === 'disable')?.request).toEqual({ id: rule.id, expectedVersion: 2 });
    expect((await ctx.post(`/api/v1/workflow-rules/${rule.id}/enable`, undefined, admin.accessToken)).status).toBe(200);
    const dry = await ctx.post(`/api/v1/workflow-rules/${rule.id}/test`, { data: { order: { totalMinor: 5 } } }, admin.accessToken);
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as Json).status).toBe('dry-run');
    expect(calls.find((c) => c.name === 'test')?.request).toEqual({ id: rule.id, event: { data: { order: { totalMinor: 5 } } } });
  });
});
