import { Injectable } from '@nestjs/common';
import { importInteractions, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ImportInteractionsService } from './import-interactions.service';

@Injectable()
export class ImportInteractionsHandler {
  constructor(private readonly service: ImportInteractionsService) {}

  @OnRpc(importInteractions)
  handle(request: RpcRequest<typeof importInteractions>, context: RpcCallContext) {
    // No user id (a system caller): `loggedBy` is then whatever each item names, or empty, as a single log.
    return this.service.import(tenantOf(context), context.actor?.userId ?? '', request);
  }
}
