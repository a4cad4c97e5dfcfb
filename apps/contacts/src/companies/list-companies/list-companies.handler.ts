import { Controller } from '@nestjs/common';
import { RpcRequest, listCompanies } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ListCompaniesService } from './list-companies.service';

@Controller()
export class ListCompaniesHandler {
  constructor(private readonly service: ListCompaniesService) {}

  @OnRpc(listCompanies)
  handle(request: RpcRequest<typeof listCompanies>, context: RpcCallContext) {
    return this.service.list(tenantOf(context), request);
  }
}
