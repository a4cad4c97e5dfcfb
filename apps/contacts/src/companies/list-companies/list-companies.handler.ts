import { Controller } from '@nestjs/common';
import { RpcRequest, listCompanies } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListCompaniesService } from './list-companies.service';

@Controller()
export class ListCompaniesHandler {
  constructor(private readonly service: ListCompaniesService) {}

  @OnRpc(listCompanies, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listCompanies>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
