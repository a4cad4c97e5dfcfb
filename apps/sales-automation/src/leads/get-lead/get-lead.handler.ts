import { Controller } from '@nestjs/common';
import { getLead, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { LeadLookup } from '../lead-lookup';
import { toLead } from '../lead.mapper';

@Controller()
export class GetLeadHandler {
  constructor(private readonly lookup: LeadLookup) {}

  @OnRpc(getLead, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getLead>, { tenantId }: TenantCallContext) {
    return toLead(await this.lookup.live(tenantId, id));
  }
}
