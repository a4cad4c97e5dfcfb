import { Controller } from '@nestjs/common';
import { loseDeal, RpcRequest, winDeal } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CloseDealService } from './close-deal.service';

@Controller()
export class CloseDealHandler {
  constructor(private readonly service: CloseDealService) {}

  @OnRpc(winDeal, { scope: 'tenant' })
  win({ id, expectedVersion }: RpcRequest<typeof winDeal>, { tenantId }: TenantCallContext) {
    return this.service.close(tenantId, id, expectedVersion, { status: 'won' });
  }

  @OnRpc(loseDeal, { scope: 'tenant' })
  lose({ id, expectedVersion, reason }: RpcRequest<typeof loseDeal>, { tenantId }: TenantCallContext) {
    return this.service.close(tenantId, id, expectedVersion, { status: 'lost', reason });
  }
}
