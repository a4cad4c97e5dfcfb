import { Controller } from '@nestjs/common';
import { RpcRequest, updateApiClient } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateApiClientService } from './update-api-client.service';

@Controller()
export class UpdateApiClientHandler {
  constructor(private readonly service: UpdateApiClientService) {}

  @OnRpc(updateApiClient, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateApiClient>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
