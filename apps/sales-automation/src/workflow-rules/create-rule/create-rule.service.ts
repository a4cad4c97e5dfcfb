import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createWorkflowRule, RpcRequest, WorkflowRule, workflowRuleCreated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { definitionProblems } from '../rule-definition/rule-definition.check';
import { validationFailed } from '../workflow-rule-errors';
import { toWorkflowRule } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

/** A new rule at definition version 1, checked beyond its shape (event type, cron, operators), naming `rule.<path>`. */
@Injectable()
export class CreateRuleService {
  constructor(
    private readonly repository: WorkflowRuleRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { rule: input }: RpcRequest<typeof createWorkflowRule>): Promise<WorkflowRule> {
    const problems = definitionProblems(input, 'rule.');
    if (problems.length) throw validationFailed(problems);
    const id = randomUUID();
    await this.repository.insert(
      tenantId,
      { id, name: input.name, enabled: input.enabled },
      { trigger: input.trigger, condition: input.condition, actions: input.actions },
    );
    const rule = toWorkflowRule({
      ...(await this.repository.findLiveRule(tenantId, id)),
      trigger: input.trigger,
      condition: input.condition,
      actions: input.actions,
    });
    await this.events.publish(workflowRuleCreated, { rule }, { tenantId, subject: id, entityVersion: rule.version });
    return rule;
  }
}
