import { Controller } from '@nestjs/common';
import { listPortalTickets, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { decodeTicketCursor, encodeTicketCursor } from '../../tickets/list-tickets/ticket-cursor';
import { PortalTicketRepository } from '../portal-ticket.repository';
import { toPortalTicket } from '../portal-view';

/** The portal customer's own tickets, newest first. */
@Controller()
export class ListOwnTicketsHandler {
  constructor(private readonly repository: PortalTicketRepository) {}

  @OnRpc(listPortalTickets, { scope: 'tenant' })
  async handle({ customer, cursor, limit }: RpcRequest<typeof listPortalTickets>, { tenantId }: TenantCallContext) {
    const after = decodeTicketCursor('-createdAt', cursor);
    const rows = await this.repository.listOwn(tenantId, customer.email, after?.sort === '-createdAt' ? after : undefined, limit);
    const page = rows.slice(0, limit);
    return { data: page.map(toPortalTicket), nextCursor: rows.length > limit ? encodeTicketCursor('-createdAt', page[page.length - 1]) : null };
  }
}
