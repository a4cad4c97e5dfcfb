import { Controller } from '@nestjs/common';
import { createDeal, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateDealService } from './create-deal.service';

@Controller()
export class CreateDealHandler {
  constructor(private readonly service: CreateDealService) {}

  @OnRpc(createDeal, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createDeal>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request.deal);
  }
}
