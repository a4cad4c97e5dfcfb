import { Controller } from '@nestjs/common';
import { listTickets, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { toTicket } from '../ticket.mapper';
import { TicketRepository } from '../ticket.repository';
import { decodeTicketCursor, encodeTicketCursor } from './ticket-cursor';

/** Newest first, filtered by status, assignee, group or requester. */
@Controller()
export class ListTicketsHandler {
  constructor(private readonly repository: TicketRepository) {}

  @OnRpc(listTickets, { scope: 'tenant' })
  async handle({ filter, cursor, limit }: RpcRequest<typeof listTickets>, { tenantId }: TenantCallContext) {
    const rows = await this.repository.list(tenantId, filter, decodeTicketCursor(cursor), limit);
    const page = rows.slice(0, limit);
    return { data: page.map(toTicket), nextCursor: rows.length > limit ? encodeTicketCursor(page[page.length - 1]) : null };
  }
}
