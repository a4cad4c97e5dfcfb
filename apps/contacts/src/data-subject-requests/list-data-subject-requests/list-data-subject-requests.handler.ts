import { Controller } from '@nestjs/common';
import { listDataSubjectRequests, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { requireRole } from '../../shared/roles';
import { tenantOf } from '../../shared/tenant';
import { ListDataSubjectRequestsService } from './list-data-subject-requests.service';

@Controller()
export class ListDataSubjectRequestsHandler {
  constructor(private readonly service: ListDataSubjectRequestsService) {}

  @OnRpc(listDataSubjectRequests)
  handle(request: RpcRequest<typeof listDataSubjectRequests>, context: RpcCallContext) {
    const tenantId = tenantOf(context);
    requireRole(context, ['admin']);
    return this.service.list(tenantId, request);
  }
}
