import { Controller, Injectable } from '@nestjs/common';
import { deleteWorkflowRule, RpcRequest, workflowRuleDeleted } from '@crm/contracts';
import { EventPublisher, OnRpc, TenantCallContext } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { Clock } from '@crm/service-kit';
import { changedMeanwhile, checkVersion, ruleNotFound } from '../workflow-rule-errors';
import { WorkflowRuleRepository } from '../workflow-rule.repository';

/** Soft delete: the rule answers 404 and no longer runs; its run history stays. */
@Injectable()
export class DeleteRuleService {
  constructor(
    private readonly repository: WorkflowRuleRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteWorkflowRule>): Promise<{ id: string }> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw ruleNotFound(id);
    checkVersion(expectedVersion, row.version);
    const deletedAt = this.clock.now();
    if (!(await this.repository.update(tenantId, id, row.version, { deleted_at: deletedAt, enabled: false }))) throw changedMeanwhile();
    await this.events.publish(
      workflowRuleDeleted,
      { ruleId: id, deletedAt: deletedAt.toISOString() },
      { tenantId, subject: id, entityVersion: row.version + 1 },
    );
    return { id };
  }
}

@Controller()
export class DeleteRuleHandler {
  constructor(private readonly service: DeleteRuleService) {}

  @OnRpc(deleteWorkflowRule, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteWorkflowRule>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
