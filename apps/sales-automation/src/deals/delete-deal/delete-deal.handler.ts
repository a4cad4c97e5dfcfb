import { Controller } from '@nestjs/common';
import { deleteDeal, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteDealService } from './delete-deal.service';

@Controller()
export class DeleteDealHandler {
  constructor(private readonly service: DeleteDealService) {}

  @OnRpc(deleteDeal, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteDeal>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
