import { Controller } from '@nestjs/common';
import { createLead, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateLeadService } from './create-lead.service';

@Controller()
export class CreateLeadHandler {
  constructor(private readonly service: CreateLeadService) {}

  @OnRpc(createLead, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createLead>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request.lead);
  }
}
