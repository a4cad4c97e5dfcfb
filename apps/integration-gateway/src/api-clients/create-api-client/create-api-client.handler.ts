import { Controller } from '@nestjs/common';
import { createApiClient, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateApiClientService } from './create-api-client.service';

@Controller()
export class CreateApiClientHandler {
  constructor(private readonly service: CreateApiClientService) {}

  @OnRpc(createApiClient, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createApiClient>, { tenantId, actor }: TenantCallContext) {
    return this.service.create(tenantId, actor.userId, request);
  }
}
