import { Injectable, OnModuleInit } from '@nestjs/common';
import { dealWon, emailConsentChanged, EventData, interactionLogged, orderRecorded } from '@crm/contracts';
import { AutomationEvent, AutomationEvents } from '../../automation-ports/automation-events';
import { EnrolmentEvents } from '../enrolment-events';
import { EnrolmentRepository } from '../enrolment.repository';

/**
 * Ends enrolments when what their sequence exits on happens (in the event's inbox transaction,
 * idempotent: a redelivered event finds nothing running). The runner checks purchases, won deals
 * and consent again before each step, so a step never runs after its exit even if the event is late.
 */
@Injectable()
export class SequenceExitsListener implements OnModuleInit {
  constructor(
    private readonly automation: AutomationEvents,
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
  ) {}

  onModuleInit(): void {
    this.automation.listen('sequence-exits', (event) => this.onEvent(event), 'exits');
  }

  private async onEvent(event: AutomationEvent): Promise<void> {
    const exit = exitOf(event);
    if (!exit) return;
    const ended = await this.enrolments.exitForContact(event.tenantId, exit.contactId, {
      condition: exit.condition,
      reason: exit.condition,
      at: new Date(event.time),
      // Only enrolments begun before it happened: a late event never ends one started after it.
      before: exit.before ?? new Date(event.time),
      exceptOrderId: exit.exceptOrderId,
    });
    await this.enrolmentEvents.ended(ended);
  }
}

interface Exit {
  contactId: string;
  condition: 'purchased' | 'dealWon' | 'unsubscribed' | 'replied';
  /** Only enrolments that began before it (a reply logged for last week does not end this week's enrolment); else the event's time. */
  before?: Date;
  /** The order that started an enrolment does not end it. */
  exceptOrderId?: string;
}

function exitOf(event: AutomationEvent): Exit | undefined {
  switch (event.type) {
    case orderRecorded.name: {
      const { order } = event.data as EventData<typeof orderRecorded>;
      if (!order.contactId || order.status === 'cancelled' || order.status === 'refunded') return undefined;
      return { contactId: order.contactId, condition: 'purchased', exceptOrderId: order.id };
    }
    case dealWon.name: {
      const { deal } = event.data as EventData<typeof dealWon>;
      return deal.contactId ? { contactId: deal.contactId, condition: 'dealWon' } : undefined;
    }
    case emailConsentChanged.name: {
      const { consent } = event.data as EventData<typeof emailConsentChanged>;
      return consent.status === 'unsubscribed' || consent.status === 'bounced' ? { contactId: consent.contactId, condition: 'unsubscribed' } : undefined;
    }
    case interactionLogged.name: {
      const { interaction } = event.data as EventData<typeof interactionLogged>;
      return interaction.channel === 'email' && interaction.direction === 'inbound'
        ? { contactId: interaction.contactId, condition: 'replied', before: new Date(interaction.occurredAt) }
        : undefined;
    }
    default:
      return undefined;
  }
}
