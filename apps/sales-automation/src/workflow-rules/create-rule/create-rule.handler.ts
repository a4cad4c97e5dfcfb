import { Controller } from '@nestjs/common';
import { createWorkflowRule, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateRuleService } from './create-rule.service';

@Controller()
export class CreateRuleHandler {
  constructor(private readonly service: CreateRuleService) {}

  @OnRpc(createWorkflowRule, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createWorkflowRule>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
