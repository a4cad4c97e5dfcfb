import { Injectable } from '@nestjs/common';
import { ticketUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { toTicket } from '../tickets/ticket.mapper';
import { RequesterRepository } from './requester.repository';

/**
 * An unknown sender identified by the contacts service (found by its duplicate check, or made a
 * contact): their tickets get the contact as requester, each with `ticket.updated` (`requesterId`),
 * so the contact's timeline and analytics file them under the contact. Runs in the consumer's
 * transaction with the inbox row; a ticket already linked is left as it is.
 */
@Injectable()
export class LinkRequesterService {
  constructor(
    private readonly requesters: RequesterRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async link(tenantId: string, email: string, contactId: string): Promise<number> {
    const rows = await this.requesters.link(tenantId, email, contactId, this.clock.now());
    await this.events.publishMany(
      ticketUpdated,
      rows.map((row) => {
        const ticket = toTicket(row);
        return { data: { ticket, changed: ['requesterId'] }, meta: { tenantId, subject: ticket.id, entityVersion: ticket.version } };
      }),
    );
    return rows.length;
  }
}
