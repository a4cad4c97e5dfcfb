import { Controller } from '@nestjs/common';
import { contactIdentified, EventData, EventEnvelope, interactionLogged } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-event-of';
import { AutomationEvents } from '../automation-events';

/**
 * The contacts service's events that no local copy keeps (the contact and company events reach AutomationEvents from ContactsEventsHandler, after the copy is applied).
 * Each handler only hands the event to AutomationEvents (rules, sequences), through the inbox.
 */
@Controller()
export class InteractionsEventsRelay {
  constructor(private readonly automation: AutomationEvents) {}

  @OnEvent(interactionLogged, { scope: 'tenant' })
  onInteractionLogged(data: EventData<typeof interactionLogged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  // A ticket's sender found or made a contact: a rule may greet a new one.
  @OnEvent(contactIdentified, { scope: 'tenant' })
  onContactIdentified(data: EventData<typeof contactIdentified>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }
}
