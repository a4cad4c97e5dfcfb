import { Controller } from '@nestjs/common';
import { getDeal, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DealLookup } from '../deal-lookup';
import { toDeal } from '../deal.mapper';

@Controller()
export class GetDealHandler {
  constructor(private readonly lookup: DealLookup) {}

  @OnRpc(getDeal, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getDeal>, { tenantId }: TenantCallContext) {
    return toDeal(await this.lookup.live(tenantId, id));
  }
}
