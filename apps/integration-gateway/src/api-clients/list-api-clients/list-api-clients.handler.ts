import { Controller } from '@nestjs/common';
import { listApiClients, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListApiClientsService } from './list-api-clients.service';

@Controller()
export class ListApiClientsHandler {
  constructor(private readonly service: ListApiClientsService) {}

  @OnRpc(listApiClients, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listApiClients>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
