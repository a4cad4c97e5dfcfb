import { Controller } from '@nestjs/common';
import { changeOrderStatus, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ChangeOrderStatusService } from './change-order-status.service';

@Controller()
export class ChangeOrderStatusHandler {
  constructor(private readonly service: ChangeOrderStatusService) {}

  @OnRpc(changeOrderStatus, { scope: 'tenant' })
  handle(request: RpcRequest<typeof changeOrderStatus>, { tenantId }: TenantCallContext) {
    return this.service.change(tenantId, request);
  }
}
