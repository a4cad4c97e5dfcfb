import { Controller } from '@nestjs/common';
import { RpcRequest, upsertProductsByExternalId } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpsertProductsExternalService } from './upsert-products-external.service';

@Controller()
export class UpsertProductsExternalHandler {
  constructor(private readonly service: UpsertProductsExternalService) {}

  @OnRpc(upsertProductsByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof upsertProductsByExternalId>, { tenantId }: TenantCallContext) {
    return this.service.upsert(tenantId, request);
  }
}
