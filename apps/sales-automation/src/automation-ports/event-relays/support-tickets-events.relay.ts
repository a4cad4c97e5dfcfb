import { Controller } from '@nestjs/common';
import {
  chatEnded,
  EventData,
  EventEnvelope,
  kbArticleChanged,
  kbArticlePublished,
  phoneCallLogged,
  slaBreached,
  slaWarning,
  ticketCreated,
  ticketCsatReceived,
  ticketMerged,
  ticketMessageAdded,
  ticketUpdated,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-event-of';
import { AutomationEvents } from '../automation-events';

/**
 * The support-tickets service's events: rules trigger on them (ticket created, replied, changed, merged, SLA warning and breach,
 * a rating, a phone call, a chat ended, knowledge-base articles published or changed).
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

  @OnEvent(ticketMerged, { scope: 'tenant' })
  onTicketMerged(data: EventData<typeof ticketMerged>, envelope: EventEnvelope) {
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

  @OnEvent(ticketCsatReceived, { scope: 'tenant' })
  onTicketCsatReceived(data: EventData<typeof ticketCsatReceived>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(phoneCallLogged, { scope: 'tenant' })
  onPhoneCallLogged(data: EventData<typeof phoneCallLogged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(chatEnded, { scope: 'tenant' })
  onChatEnded(data: EventData<typeof chatEnded>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(kbArticlePublished, { scope: 'tenant' })
  onKbArticlePublished(data: EventData<typeof kbArticlePublished>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(kbArticleChanged, { scope: 'tenant' })
  onKbArticleChanged(data: EventData<typeof kbArticleChanged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }
}
