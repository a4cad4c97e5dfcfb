import { Controller } from '@nestjs/common';
import { RpcRequest, testWorkflowRule } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { RuleRunner } from '../run-rules/rule-runner.service';
import { ruleNotFound } from '../workflow-rule-errors';
import { runnableOf } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

/** The dry run: the rule's current definition against a sample event; evaluates the condition, lists the actions, writes nothing. */
@Controller()
export class TestRuleHandler {
  constructor(
    private readonly rules: WorkflowRuleRepository,
    private readonly runner: RuleRunner,
    private readonly clock: Clock,
  ) {}

  @OnRpc(testWorkflowRule, { scope: 'tenant' })
  async handle({ id, event }: RpcRequest<typeof testWorkflowRule>, { tenantId }: TenantCallContext) {
    const row = await this.rules.findLive(tenantId, id);
    if (!row) throw ruleNotFound(id);
    const rule = runnableOf(row);
    const type = event.type ?? (rule.trigger.kind === 'event' ? rule.trigger.type : `workflow-rule.${rule.trigger.kind}`);
    const { steps, status, errorCode, errorMessage, conditionMatched } = await this.runner.dryRun(rule, {
      id: 'dry-run',
      type,
      tenantId,
      time: this.clock.now().toISOString(),
      data: event.data,
      automationDepth: 0,
    });
    return { conditionMatched, status, errorCode, errorMessage, steps };
  }
}
