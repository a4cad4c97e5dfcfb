import { Controller } from '@nestjs/common';
import {
  companyCreated,
  companyDeleted,
  companyRestored,
  companyUpdated,
  contactCreated,
  contactDeleted,
  contactErased,
  contactMerged,
  contactRestored,
  contactUpdated,
  EventData,
  EventEnvelope,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-ports/automation-event-of';
import { AutomationEvents } from '../automation-ports/automation-events';
import { LocalCopiesService } from './local-copies.service';

/** The entity's version the envelope carries (0 when an event has none: it then wins over nothing). */
const versionOf = (envelope: EventEnvelope) => envelope.entityversion ?? 0;

/** The contacts service's events this service keeps its copies by (through the inbox: each applied once), then handed to AutomationEvents. */
@Controller()
export class ContactsEventsHandler {
  constructor(
    private readonly copies: LocalCopiesService,
    private readonly automation: AutomationEvents,
  ) {}

  /** The copy first, then the automation features (they read the copy), in the inbox's one transaction. */
  private async applied(envelope: EventEnvelope, data: unknown, apply: () => Promise<unknown>): Promise<void> {
    await apply();
    await this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(contactCreated, { scope: 'tenant' })
  onContactCreated(data: EventData<typeof contactCreated>, envelope: EventEnvelope) {
    const { contact } = data;
    return this.applied(envelope, data, () => this.copies.contactChanged(envelope.tenantid, contact));
  }

  @OnEvent(contactUpdated, { scope: 'tenant' })
  onContactUpdated(data: EventData<typeof contactUpdated>, envelope: EventEnvelope) {
    const { contact } = data;
    return this.applied(envelope, data, () => this.copies.contactChanged(envelope.tenantid, contact));
  }

  @OnEvent(contactRestored, { scope: 'tenant' })
  onContactRestored(data: EventData<typeof contactRestored>, envelope: EventEnvelope) {
    const { contact } = data;
    return this.applied(envelope, data, () => this.copies.contactChanged(envelope.tenantid, contact));
  }

  @OnEvent(contactDeleted, { scope: 'tenant' })
  onContactDeleted(data: EventData<typeof contactDeleted>, envelope: EventEnvelope) {
    const { contactId, deletedAt } = data;
    return this.applied(envelope, data, () => this.copies.contactDeleted(envelope.tenantid, contactId, versionOf(envelope), new Date(deletedAt)));
  }

  @OnEvent(contactMerged, { scope: 'tenant' })
  onContactMerged(data: EventData<typeof contactMerged>, envelope: EventEnvelope) {
    return this.applied(envelope, data, () => this.copies.contactMerged(envelope.tenantid, data, new Date(envelope.time)));
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  onContactErased(data: EventData<typeof contactErased>, envelope: EventEnvelope) {
    return this.applied(envelope, data, () => this.copies.contactErased(envelope.tenantid, data, versionOf(envelope)));
  }

  @OnEvent(companyCreated, { scope: 'tenant' })
  onCompanyCreated(data: EventData<typeof companyCreated>, envelope: EventEnvelope) {
    const { company } = data;
    return this.applied(envelope, data, () => this.copies.companyChanged(envelope.tenantid, company));
  }

  @OnEvent(companyUpdated, { scope: 'tenant' })
  onCompanyUpdated(data: EventData<typeof companyUpdated>, envelope: EventEnvelope) {
    const { company } = data;
    return this.applied(envelope, data, () => this.copies.companyChanged(envelope.tenantid, company));
  }

  @OnEvent(companyRestored, { scope: 'tenant' })
  onCompanyRestored(data: EventData<typeof companyRestored>, envelope: EventEnvelope) {
    const { company } = data;
    return this.applied(envelope, data, () => this.copies.companyChanged(envelope.tenantid, company));
  }

  @OnEvent(companyDeleted, { scope: 'tenant' })
  onCompanyDeleted(data: EventData<typeof companyDeleted>, envelope: EventEnvelope) {
    const { companyId, deletedAt } = data;
    return this.applied(envelope, data, () => this.copies.companyDeleted(envelope.tenantid, companyId, versionOf(envelope), new Date(deletedAt)));
  }
}
