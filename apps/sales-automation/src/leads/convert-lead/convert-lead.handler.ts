import { Controller } from '@nestjs/common';
import { convertLead, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ConvertLeadService } from './convert-lead.service';

@Controller()
export class ConvertLeadHandler {
  constructor(private readonly service: ConvertLeadService) {}

  @OnRpc(convertLead, { scope: 'tenant' })
  handle(request: RpcRequest<typeof convertLead>, { tenantId }: TenantCallContext) {
    return this.service.convert(tenantId, request);
  }
}
