import { Controller } from '@nestjs/common';
import { revokeApiClient, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RevokeApiClientService } from './revoke-api-client.service';

@Controller()
export class RevokeApiClientHandler {
  constructor(private readonly service: RevokeApiClientService) {}

  @OnRpc(revokeApiClient, { scope: 'tenant' })
  handle(request: RpcRequest<typeof revokeApiClient>, { tenantId }: TenantCallContext) {
    return this.service.revoke(tenantId, request);
  }
}
