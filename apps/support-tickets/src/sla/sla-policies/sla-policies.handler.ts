import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { createSlaPolicy, deleteSlaPolicy, DomainError, listSlaPolicies, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { toSlaPolicy } from '../sla.mapper';
import { SlaRepository } from '../sla.repository';

/** SLA policies, one per priority: they apply to tickets opened (or moved to their priority) afterwards. */
@Controller()
export class SlaPoliciesHandler {
  constructor(
    private readonly sla: SlaRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(createSlaPolicy, { scope: 'tenant' })
  async create({ policy }: RpcRequest<typeof createSlaPolicy>, { tenantId }: TenantCallContext) {
    const at = this.clock.now();
    const row = await this.sla.insertPolicy({
      id: randomUUID(),
      tenant_id: tenantId,
      name: policy.name,
      priority: policy.priority,
      first_response_minutes: policy.firstResponseMinutes,
      resolution_minutes: policy.resolutionMinutes,
      warn_share: policy.warnShare,
      raise_priority: policy.raisePriority,
      escalate_to_group_id: policy.escalateToGroupId,
      notify_manager: policy.notifyManager,
      created_at: at,
      updated_at: at,
    });
    if (!row) throw new DomainError('CONFLICT', `There is an SLA policy for ${policy.priority} tickets already.`);
    return toSlaPolicy(row);
  }

  @OnRpc(listSlaPolicies, { scope: 'tenant' })
  async list(_request: unknown, { tenantId }: TenantCallContext) {
    return { data: (await this.sla.policies(tenantId)).map(toSlaPolicy) };
  }

  @OnRpc(deleteSlaPolicy, { scope: 'tenant' })
  async delete({ id }: RpcRequest<typeof deleteSlaPolicy>, { tenantId }: TenantCallContext) {
    return { deleted: await this.sla.deletePolicy(tenantId, id) };
  }
}
