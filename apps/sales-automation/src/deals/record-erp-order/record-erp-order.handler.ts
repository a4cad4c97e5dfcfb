import { Controller } from '@nestjs/common';
import { recordDealErpOrder, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RecordErpOrderService } from './record-erp-order.service';

@Controller()
export class RecordErpOrderHandler {
  constructor(private readonly service: RecordErpOrderService) {}

  @OnRpc(recordDealErpOrder, { scope: 'tenant' })
  handle(request: RpcRequest<typeof recordDealErpOrder>, { tenantId }: TenantCallContext) {
    return this.service.record(tenantId, request);
  }
}
