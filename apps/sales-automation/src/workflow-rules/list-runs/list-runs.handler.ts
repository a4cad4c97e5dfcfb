import { Controller } from '@nestjs/common';
import { listWorkflowRuleRuns, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { ruleNotFound } from '../workflow-rule-errors';
import { toWorkflowRuleRun } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';
import { WorkflowRuleRunRepository } from '../workflow-rule-run.repository';

/** The list's one order: newest first (start time, then id). */
const ORDER = 'started';

/** A rule's run history with each run's steps and errors (another tenant's rule: 404). */
@Controller()
export class ListRunsHandler {
  constructor(
    private readonly rules: WorkflowRuleRepository,
    private readonly runs: WorkflowRuleRunRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listWorkflowRuleRuns, { scope: 'tenant' })
  async handle({ id, cursor, limit }: RpcRequest<typeof listWorkflowRuleRuns>, { tenantId }: TenantCallContext) {
    if (!(await this.rules.findLive(tenantId, id))) throw ruleNotFound(id);
    const after = this.cursors.decode(cursor, ORDER);
    const rows = await this.runs.list(tenantId, id, after && { startedAt: new Date(String(after.key)), id: after.id }, limit);
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: ORDER, byRelevance: false, sortKey: (row) => new Date(row.started_at).toISOString() },
      this.cursors,
    );
    return { data: page.map(toWorkflowRuleRun), nextCursor };
  }
}
