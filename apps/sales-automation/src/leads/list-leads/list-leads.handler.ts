import { Controller } from '@nestjs/common';
import { listLeads, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListLeadsService } from './list-leads.service';

@Controller()
export class ListLeadsHandler {
  constructor(private readonly service: ListLeadsService) {}

  @OnRpc(listLeads, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listLeads>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
