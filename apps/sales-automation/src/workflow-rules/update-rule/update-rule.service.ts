import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { RpcRequest, updateWorkflowRule, WorkflowRule, workflowRuleUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { definitionProblems } from '../rule-definition/rule-definition.check';
import { changedMeanwhile, checkVersion, ruleNotFound, validationFailed } from '../workflow-rule-errors';
import { RuleWithDefinition, toWorkflowRule } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

const DEFINITION = ['trigger', 'condition', 'actions'] as const;

/**
 * Patch semantics (absent fields stay). A changed trigger, condition or actions makes the next
 * definition version, which new runs use; runs already recorded (and waiting ones) keep theirs.
 * A patch that changes nothing answers the rule as it is (no event).
 */
@Injectable()
export class UpdateRuleService {
  constructor(
    private readonly repository: WorkflowRuleRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateWorkflowRule>): Promise<WorkflowRule> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw ruleNotFound(id);
    const before = toWorkflowRule(row);
    checkVersion(expectedVersion, before.version);
    const problems = definitionProblems(patch, 'patch.');
    if (problems.length) throw validationFailed(problems);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) } as WorkflowRule;
    const changed = (['name', 'enabled', ...DEFINITION] as const).filter((field) => !isDeepStrictEqual(next[field], before[field]));
    if (!changed.length) return before;
    const newDefinition = changed.some((field) => (DEFINITION as readonly string[]).includes(field));
    const currentVersion = newDefinition ? before.currentVersion + 1 : before.currentVersion;
    if (newDefinition)
      await this.repository.insertVersion(tenantId, id, currentVersion, { trigger: next.trigger, condition: next.condition, actions: next.actions });
    const updated = await this.repository.update(tenantId, id, before.version, { name: next.name, enabled: next.enabled, current_version: currentVersion });
    if (!updated) throw changedMeanwhile();
    const rule = toWorkflowRule({ ...updated, trigger: next.trigger, condition: next.condition, actions: next.actions } as RuleWithDefinition);
    await this.events.publish(workflowRuleUpdated, { rule, changed }, { tenantId, subject: id, entityVersion: rule.version });
    return rule;
  }
}
