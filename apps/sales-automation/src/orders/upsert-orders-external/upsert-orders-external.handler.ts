import { Controller } from '@nestjs/common';
import { RpcRequest, upsertOrdersByExternalId } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpsertOrdersExternalService } from './upsert-orders-external.service';

@Controller()
export class UpsertOrdersExternalHandler {
  constructor(private readonly service: UpsertOrdersExternalService) {}

  @OnRpc(upsertOrdersByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof upsertOrdersByExternalId>, { tenantId }: TenantCallContext) {
    return this.service.upsert(tenantId, request);
  }
}
