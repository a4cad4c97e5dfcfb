import { Controller } from '@nestjs/common';
import { listDataSubjectRequests, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListDataSubjectRequestsService } from './list-data-subject-requests.service';

@Controller()
export class ListDataSubjectRequestsHandler {
  constructor(private readonly service: ListDataSubjectRequestsService) {}

  @OnRpc(listDataSubjectRequests, { scope: 'tenant', roles: ['admin'] })
  handle(request: RpcRequest<typeof listDataSubjectRequests>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
