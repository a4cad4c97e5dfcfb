import { Controller } from '@nestjs/common';
import { createTicket, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateTicketService } from './create-ticket.service';

@Controller()
export class CreateTicketHandler {
  constructor(private readonly service: CreateTicketService) {}

  @OnRpc(createTicket, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createTicket>, { actor }: TenantCallContext) {
    return this.service.create(actor, request);
  }
}
