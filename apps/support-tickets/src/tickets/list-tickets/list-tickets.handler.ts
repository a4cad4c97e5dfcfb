import { Controller } from '@nestjs/common';
import { listTickets, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { toTicket } from '../ticket.mapper';
import { TicketRepository } from '../ticket.repository';
import { decodeTicketCursor, encodeTicketCursor } from './ticket-cursor';

/** Newest first or by SLA due time (the agent inbox), filtered by status, assignee, group or requester. */
@Controller()
export class ListTicketsHandler {
  constructor(private readonly repository: TicketRepository) {}

  @OnRpc(listTickets, { scope: 'tenant' })
  async handle({ filter, sort, cursor, limit }: RpcRequest<typeof listTickets>, { tenantId }: TenantCallContext) {
    const rows = await this.repository.list(tenantId, filter, sort, decodeTicketCursor(sort, cursor), limit);
    const page = rows.slice(0, limit);
    return { data: page.map(toTicket), nextCursor: rows.length > limit ? encodeTicketCursor(sort, page[page.length - 1]) : null };
  }
}
