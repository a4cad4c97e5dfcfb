import { Controller } from '@nestjs/common';
import { listContactActivities, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListActivitiesService } from './list-activities.service';

@Controller()
export class ListActivitiesHandler {
  constructor(private readonly service: ListActivitiesService) {}

  @OnRpc(listContactActivities, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listContactActivities>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
