import { Controller } from '@nestjs/common';
import { createPortalTicket, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateOwnTicketService } from './create-own-ticket.service';

@Controller()
export class CreateOwnTicketHandler {
  constructor(private readonly service: CreateOwnTicketService) {}

  @OnRpc(createPortalTicket, { scope: 'tenant' })
  handle({ customer, ticket }: RpcRequest<typeof createPortalTicket>, { tenantId }: TenantCallContext) {
    return this.service.createWithThread(tenantId, customer.email, ticket);
  }
}
