import { Controller } from '@nestjs/common';
import { EventData, EventEnvelope, ticketCreated, ticketUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { RecordTicketActivityService } from './record-ticket-activity.service';

/** The support service's ticket events: a contact's tickets on its timeline, and unknown senders made contacts. */
@Controller()
export class SupportTicketsEventsHandler {
  constructor(private readonly service: RecordTicketActivityService) {}

  @OnEvent(ticketCreated, { scope: 'tenant' })
  onTicketCreated({ ticket }: EventData<typeof ticketCreated>, { tenantid }: EventEnvelope) {
    return this.service.recordCreated(tenantid, ticket);
  }

  // Status, subject or requester changed: the timeline shows the ticket as it is now.
  @OnEvent(ticketUpdated, { scope: 'tenant' })
  onTicketUpdated({ ticket }: EventData<typeof ticketUpdated>, { tenantid }: EventEnvelope) {
    return this.service.recordChanged(tenantid, ticket);
  }
}
