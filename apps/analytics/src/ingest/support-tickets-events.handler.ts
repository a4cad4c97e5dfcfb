import { Controller } from '@nestjs/common';
import { EventEnvelope, slaBreached, slaWarning, ticketCreated, ticketCsatReceived, ticketMerged, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { IngestEventService } from './ingest-event.service';

/** The support service's ticket events analytics keeps (PROJECTIONS says what each changes: for now, only the log). */
@Controller()
export class SupportTicketsEventsHandler {
  constructor(private readonly ingest: IngestEventService) {}

  @OnEvent(ticketCreated, { scope: 'tenant' })
  onTicketCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(ticketUpdated, { scope: 'tenant' })
  onTicketUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(ticketMerged, { scope: 'tenant' })
  onTicketMerged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(ticketMessageAdded, { scope: 'tenant' })
  onTicketMessageAdded(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(slaWarning, { scope: 'tenant' })
  onSlaWarning(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(slaBreached, { scope: 'tenant' })
  onSlaBreached(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(ticketCsatReceived, { scope: 'tenant' })
  onTicketCsatReceived(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }
}
