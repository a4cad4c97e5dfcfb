import { Controller } from '@nestjs/common';
import { listSyncLog, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListSyncLogService } from './list-sync-log.service';

/** Tenant admins read the sync log through the API gateway (GET /api/v1/integrations/sync-log). */
@Controller()
export class ListSyncLogHandler {
  constructor(private readonly service: ListSyncLogService) {}

  @OnRpc(listSyncLog, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listSyncLog>, { actor }: TenantCallContext) {
    return this.service.list(actor.tenantId, request);
  }
}
