import { Controller } from '@nestjs/common';
import { EventData, EventEnvelope, slaBreached, slaWarning, ticketCreated, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-event-of';
import { AutomationEvents } from '../automation-events';

/**
 * The support-tickets service's events: rules trigger on them (ticket created, replied, changed, SLA warning and breach).
 * Each handler only hands the event to AutomationEvents (rules, sequences), through the inbox.
 */
@Controller()
export class SupportTicketsEventsRelay {
  constructor(private readonly automation: AutomationEvents) {}

  @OnEvent(ticketCreated, { scope: 'tenant' })
  onTicketCreated(data: EventData<typeof ticketCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(ticketUpdated, { scope: 'tenant' })
  onTicketUpdated(data: EventData<typeof ticketUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(ticketMessageAdded, { scope: 'tenant' })
  onTicketMessageAdded(data: EventData<typeof ticketMessageAdded>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(slaWarning, { scope: 'tenant' })
  onSlaWarning(data: EventData<typeof slaWarning>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(slaBreached, { scope: 'tenant' })
  onSlaBreached(data: EventData<typeof slaBreached>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }
}
