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
import { LocalCopiesService } from './local-copies.service';

/** The entity's version the envelope carries (0 when an event has none: it then wins over nothing). */
const versionOf = (envelope: EventEnvelope) => envelope.entityversion ?? 0;

/** The contacts service's events this service keeps its copies by (through the inbox: each applied once). */
@Controller()
export class ContactsEventsHandler {
  constructor(private readonly copies: LocalCopiesService) {}

  @OnEvent(contactCreated, { scope: 'tenant' })
  onContactCreated({ contact }: EventData<typeof contactCreated>, envelope: EventEnvelope) {
    return this.copies.contactChanged(envelope.tenantid, contact);
  }

  @OnEvent(contactUpdated, { scope: 'tenant' })
  onContactUpdated({ contact }: EventData<typeof contactUpdated>, envelope: EventEnvelope) {
    return this.copies.contactChanged(envelope.tenantid, contact);
  }

  @OnEvent(contactRestored, { scope: 'tenant' })
  onContactRestored({ contact }: EventData<typeof contactRestored>, envelope: EventEnvelope) {
    return this.copies.contactChanged(envelope.tenantid, contact);
  }

  @OnEvent(contactDeleted, { scope: 'tenant' })
  onContactDeleted({ contactId, deletedAt }: EventData<typeof contactDeleted>, envelope: EventEnvelope) {
    return this.copies.contactDeleted(envelope.tenantid, contactId, versionOf(envelope), new Date(deletedAt));
  }

  @OnEvent(contactMerged, { scope: 'tenant' })
  onContactMerged(data: EventData<typeof contactMerged>, envelope: EventEnvelope) {
    return this.copies.contactMerged(envelope.tenantid, data, new Date(envelope.time));
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  onContactErased(data: EventData<typeof contactErased>, envelope: EventEnvelope) {
    return this.copies.contactErased(envelope.tenantid, data, versionOf(envelope));
  }

  @OnEvent(companyCreated, { scope: 'tenant' })
  onCompanyCreated({ company }: EventData<typeof companyCreated>, envelope: EventEnvelope) {
    return this.copies.companyChanged(envelope.tenantid, company);
  }

  @OnEvent(companyUpdated, { scope: 'tenant' })
  onCompanyUpdated({ company }: EventData<typeof companyUpdated>, envelope: EventEnvelope) {
    return this.copies.companyChanged(envelope.tenantid, company);
  }

  @OnEvent(companyRestored, { scope: 'tenant' })
  onCompanyRestored({ company }: EventData<typeof companyRestored>, envelope: EventEnvelope) {
    return this.copies.companyChanged(envelope.tenantid, company);
  }

  @OnEvent(companyDeleted, { scope: 'tenant' })
  onCompanyDeleted({ companyId, deletedAt }: EventData<typeof companyDeleted>, envelope: EventEnvelope) {
    return this.copies.companyDeleted(envelope.tenantid, companyId, versionOf(envelope), new Date(deletedAt));
  }
}
