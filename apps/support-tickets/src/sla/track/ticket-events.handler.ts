import { Controller } from '@nestjs/common';
import { EventData, EventEnvelope, ticketCreated, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { SlaTracker } from './sla-tracker';

/** The service's own ticket events, through the inbox (each applied once): the SLA timers follow them. */
@Controller()
export class TicketEventsHandler {
  constructor(private readonly tracker: SlaTracker) {}

  @OnEvent(ticketCreated, { scope: 'tenant' })
  onCreated({ ticket }: EventData<typeof ticketCreated>, envelope: EventEnvelope) {
    return this.tracker.track(envelope.tenantid, ticket);
  }

  @OnEvent(ticketUpdated, { scope: 'tenant' })
  onUpdated({ ticket }: EventData<typeof ticketUpdated>, envelope: EventEnvelope) {
    return this.tracker.track(envelope.tenantid, ticket);
  }

  /** An agent's public reply is the first response. */
  @OnEvent(ticketMessageAdded, { scope: 'tenant' })
  onMessage({ ticket, message }: EventData<typeof ticketMessageAdded>, envelope: EventEnvelope) {
    const firstResponse = message.kind === 'public' && message.authorType === 'agent' ? new Date(message.createdAt) : null;
    return this.tracker.track(envelope.tenantid, ticket, firstResponse);
  }
}
