import { Controller } from '@nestjs/common';
import { importInteractions, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ImportInteractionsService } from './import-interactions.service';

@Controller()
export class ImportInteractionsHandler {
  constructor(private readonly service: ImportInteractionsService) {}

  @OnRpc(importInteractions)
  handle(request: RpcRequest<typeof importInteractions>, context: RpcCallContext) {
    // The author is the caller; only an admin importing history may name another user of the
    // tenant (the gateway checks that the user exists: users live in its database).
    const tenantId = tenantOf(context);
    const mayNameAuthor = context.actor?.roles.includes('admin') ?? false;
    return this.service.import(tenantId, { userId: context.actor?.userId ?? '', mayNameAuthor }, request);
  }
}
