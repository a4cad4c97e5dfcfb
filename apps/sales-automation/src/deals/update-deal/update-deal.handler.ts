import { Controller } from '@nestjs/common';
import { RpcRequest, updateDeal } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateDealService } from './update-deal.service';

@Controller()
export class UpdateDealHandler {
  constructor(private readonly service: UpdateDealService) {}

  @OnRpc(updateDeal, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateDeal>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
