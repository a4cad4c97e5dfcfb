import { Controller } from '@nestjs/common';
import { RpcRequest, updateLead } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateLeadService } from './update-lead.service';

@Controller()
export class UpdateLeadHandler {
  constructor(private readonly service: UpdateLeadService) {}

  @OnRpc(updateLead, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateLead>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
