import { Controller } from '@nestjs/common';
import { getTicket, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ticketNotFound } from '../ticket-errors';
import { TicketRepository } from '../ticket.repository';
import { TicketThread } from '../ticket-thread';

@Controller()
export class GetTicketHandler {
  constructor(
    private readonly repository: TicketRepository,
    private readonly thread: TicketThread,
  ) {}

  @OnRpc(getTicket, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getTicket>, { tenantId }: TenantCallContext) {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw ticketNotFound(id);
    return this.thread.of(row);
  }
}
