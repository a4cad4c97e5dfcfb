import { Controller } from '@nestjs/common';
import { recordOrder, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RecordOrderService } from './record-order.service';

@Controller()
export class RecordOrderHandler {
  constructor(private readonly service: RecordOrderService) {}

  @OnRpc(recordOrder, { scope: 'tenant' })
  handle(request: RpcRequest<typeof recordOrder>, { tenantId }: TenantCallContext) {
    return this.service.record(tenantId, request);
  }
}
