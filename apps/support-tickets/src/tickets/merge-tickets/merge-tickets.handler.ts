import { Controller } from '@nestjs/common';
import { mergeTickets, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { MergeTicketsService } from './merge-tickets.service';

@Controller()
export class MergeTicketsHandler {
  constructor(private readonly service: MergeTicketsService) {}

  @OnRpc(mergeTickets, { scope: 'tenant' })
  handle(request: RpcRequest<typeof mergeTickets>, { tenantId }: TenantCallContext) {
    return this.service.merge(tenantId, request);
  }
}
