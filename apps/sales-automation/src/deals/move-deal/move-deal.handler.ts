import { Controller } from '@nestjs/common';
import { moveDeal, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { MoveDealService } from './move-deal.service';

@Controller()
export class MoveDealHandler {
  constructor(private readonly service: MoveDealService) {}

  @OnRpc(moveDeal, { scope: 'tenant' })
  handle(request: RpcRequest<typeof moveDeal>, { tenantId }: TenantCallContext) {
    return this.service.move(tenantId, request);
  }
}
