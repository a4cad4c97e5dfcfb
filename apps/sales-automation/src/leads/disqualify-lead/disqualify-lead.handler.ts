import { Controller } from '@nestjs/common';
import { disqualifyLead, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DisqualifyLeadService } from './disqualify-lead.service';

@Controller()
export class DisqualifyLeadHandler {
  constructor(private readonly service: DisqualifyLeadService) {}

  @OnRpc(disqualifyLead, { scope: 'tenant' })
  handle(request: RpcRequest<typeof disqualifyLead>, { tenantId }: TenantCallContext) {
    return this.service.disqualify(tenantId, request);
  }
}
