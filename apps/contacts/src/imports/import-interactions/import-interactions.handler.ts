import { Controller } from '@nestjs/common';
import { importInteractions, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ImportInteractionsService } from './import-interactions.service';

@Controller()
export class ImportInteractionsHandler {
  constructor(private readonly service: ImportInteractionsService) {}

  @OnRpc(importInteractions, { scope: 'tenant' })
  handle(request: RpcRequest<typeof importInteractions>, { tenantId, actor }: TenantCallContext) {
    // The author is the caller; only an admin importing history may name another user of the
    // tenant (the gateway checks that the user exists: users live in its database).
    return this.service.import(tenantId, { userId: actor.userId, mayNameAuthor: actor.roles.includes('admin') }, request);
  }
}
