import { Controller } from '@nestjs/common';
import { RpcRequest, updateWorkflowRule } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateRuleService } from './update-rule.service';

@Controller()
export class UpdateRuleHandler {
  constructor(private readonly service: UpdateRuleService) {}

  @OnRpc(updateWorkflowRule, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateWorkflowRule>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
