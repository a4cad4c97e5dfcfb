import { Controller } from '@nestjs/common';
import { getWorkflowRule, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ruleNotFound } from '../workflow-rule-errors';
import { toWorkflowRule } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

@Controller()
export class GetRuleHandler {
  constructor(private readonly repository: WorkflowRuleRepository) {}

  @OnRpc(getWorkflowRule, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getWorkflowRule>, { tenantId }: TenantCallContext) {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw ruleNotFound(id);
    return toWorkflowRule(row);
  }
}
