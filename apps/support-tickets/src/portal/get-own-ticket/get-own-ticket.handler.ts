import { Controller } from '@nestjs/common';
import { getPortalTicket, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ticketNotFound } from '../../tickets/ticket-errors';
import { PortalTicketRepository } from '../portal-ticket.repository';
import { PortalThread } from '../portal-view';

/** One of the customer's own tickets with its public thread; anyone else's is not found. */
@Controller()
export class GetOwnTicketHandler {
  constructor(
    private readonly repository: PortalTicketRepository,
    private readonly thread: PortalThread,
  ) {}

  @OnRpc(getPortalTicket, { scope: 'tenant' })
  async handle({ customer, id }: RpcRequest<typeof getPortalTicket>, { tenantId }: TenantCallContext) {
    const row = await this.repository.findOwn(tenantId, customer.email, id);
    if (!row) throw ticketNotFound(id);
    return this.thread.of(row);
  }
}
