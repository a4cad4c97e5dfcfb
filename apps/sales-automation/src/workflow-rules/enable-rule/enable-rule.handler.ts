import { Controller } from '@nestjs/common';
import { disableWorkflowRule, enableWorkflowRule, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateRuleService } from '../update-rule/update-rule.service';

/** Enable and disable: a patch of `enabled` (same version check, same event); a disabled rule no longer runs. */
@Controller()
export class EnableRuleHandler {
  constructor(private readonly service: UpdateRuleService) {}

  @OnRpc(enableWorkflowRule, { scope: 'tenant' })
  enable({ id, expectedVersion }: RpcRequest<typeof enableWorkflowRule>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, { id, expectedVersion, patch: { enabled: true } });
  }

  @OnRpc(disableWorkflowRule, { scope: 'tenant' })
  disable({ id, expectedVersion }: RpcRequest<typeof disableWorkflowRule>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, { id, expectedVersion, patch: { enabled: false } });
  }
}
