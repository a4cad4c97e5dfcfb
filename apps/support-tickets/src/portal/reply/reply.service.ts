import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PortalTicketWithThread, ticketMessageAdded } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { ticketChangedMeanwhile, ticketClosed, ticketNotFound } from '../../tickets/ticket-errors';
import { toTicket, toTicketMessage } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { PortalTicketRepository } from '../portal-ticket.repository';
import { PortalThread } from '../portal-view';

/**
 * The customer's public reply from the portal: like a reply by email, it reopens a pending or
 * solved ticket (the SLA clock runs again); a closed ticket takes none. Only the requester's own.
 */
@Injectable()
export class PortalReplyService {
  constructor(
    private readonly own: PortalTicketRepository,
    private readonly tickets: TicketRepository,
    private readonly thread: PortalThread,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async reply(tenantId: string, email: string, id: string, body: string): Promise<PortalTicketWithThread> {
    const row = await this.own.findOwn(tenantId, email, id, { forUpdate: true });
    if (!row) throw ticketNotFound(id);
    if (row.status === 'closed') throw ticketClosed(id);
    const at = this.clock.now();
    const reopens = row.status === 'pending' || row.status === 'solved';
    const updated = await this.tickets.update(tenantId, id, row.version, reopens ? { status: 'open', solvedAt: null } : {}, at);
    if (!updated) throw ticketChangedMeanwhile();
    const added = await this.tickets.insertMessage(tenantId, { id: randomUUID(), ticketId: id, kind: 'public', authorType: 'customer', authorId: row.requester_id, body }, at);
    // As a reply by email: the event carries the ticket at its new status (the SLA clock reads it).
    const { body: _body, ...withoutBody } = toTicketMessage(added);
    await this.events.publish(ticketMessageAdded, { ticket: toTicket(updated), message: withoutBody }, { tenantId, subject: id, entityVersion: updated.version });
    return this.thread.of(updated);
  }
}
