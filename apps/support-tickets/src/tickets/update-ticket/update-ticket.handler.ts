import { Controller } from '@nestjs/common';
import { RpcRequest, updateTicket } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateTicketService } from './update-ticket.service';

@Controller()
export class UpdateTicketHandler {
  constructor(private readonly service: UpdateTicketService) {}

  @OnRpc(updateTicket, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateTicket>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
