import { Controller } from '@nestjs/common';
import { getApiClient, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ApiClientLookup } from '../api-client-lookup';

@Controller()
export class GetApiClientHandler {
  constructor(private readonly lookup: ApiClientLookup) {}

  @OnRpc(getApiClient, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getApiClient>, { tenantId }: TenantCallContext) {
    return this.lookup.withSecrets(await this.lookup.row(tenantId, id));
  }
}
