import { Injectable } from '@nestjs/common';
import type { Ticket } from '@crm/contracts';
import { IdentifySenderService } from '../../contacts/identify-sender/identify-sender.service';
import { ActivityRepository } from '../activity.repository';

/** The support service's name, where an identified sender came from. */
const SUPPORT_SERVICE = 'support-tickets';

/**
 * Keeps a contact's support tickets from the support service's events, as RecordSalesActivityService
 * keeps orders and deals: one entry per ticket, taken only when newer. A ticket whose sender is not
 * a contact yet (an email from an unknown address) is filed under the contact the duplicate check
 * finds for the address, or one made for it (IdentifySenderService), when it is created; the support
 * service then links the ticket, and its later events name the contact.
 */
@Injectable()
export class RecordTicketActivityService {
  constructor(
    private readonly activities: ActivityRepository,
    private readonly senders: IdentifySenderService,
  ) {}

  async recordCreated(tenantId: string, ticket: Ticket): Promise<void> {
    const contactId =
      ticket.requesterId ??
      (ticket.requesterEmail
        ? await this.senders.contactFor(tenantId, {
            email: ticket.requesterEmail,
            name: ticket.requesterName,
            source: { service: SUPPORT_SERVICE, recordId: ticket.id },
          })
        : null);
    await this.record(tenantId, contactId, ticket);
  }

  /** A change of a ticket whose requester is not linked yet keeps the entry's contact. */
  async recordChanged(tenantId: string, ticket: Ticket): Promise<void> {
    await this.record(tenantId, ticket.requesterId, ticket);
  }

  private async record(tenantId: string, contactId: string | null, ticket: Ticket): Promise<void> {
    await this.activities.recordUnder(
      tenantId,
      contactId,
      {
        id: ticket.id,
        kind: 'ticket',
        title: `#${ticket.number} ${ticket.subject}`.slice(0, 500),
        status: ticket.status,
        amountMinor: 0,
        currency: '',
        counts: false,
        occurredAt: new Date(ticket.createdAt),
        version: ticket.version,
        updatedAt: new Date(ticket.updatedAt),
      },
      { keepContact: contactId === null },
    );
  }
}
