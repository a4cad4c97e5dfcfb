import { Controller } from '@nestjs/common';
import { listWorkflowRules, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { toWorkflowRule } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

/** Oldest first (creation time, then id). */
@Controller()
export class ListRulesHandler {
  constructor(
    private readonly repository: WorkflowRuleRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listWorkflowRules, { scope: 'tenant' })
  async handle({ cursor, limit }: RpcRequest<typeof listWorkflowRules>, { tenantId }: TenantCallContext) {
    const rows = await this.repository.list(tenantId, this.cursors.createdAfter(cursor), limit);
    return this.cursors.createdPage(rows, limit, toWorkflowRule);
  }
}
