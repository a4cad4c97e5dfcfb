import { Controller } from '@nestjs/common';
import { contactErased, contactIdentified, contactMerged, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { LinkRequesterService } from './link-requester.service';
import { RequesterRepository } from './requester.repository';

/** The contacts service's identification, merge and erasure, through the inbox (each applied once, in the inbox's transaction). */
@Controller()
export class ContactsEventsHandler {
  constructor(
    private readonly requesters: RequesterRepository,
    private readonly linker: LinkRequesterService,
  ) {}

  /** A ticket's unknown sender is now a contact. */
  @OnEvent(contactIdentified, { scope: 'tenant' })
  async onIdentified({ contactId, email }: EventData<typeof contactIdentified>, envelope: EventEnvelope) {
    await this.linker.link(envelope.tenantid, email, contactId);
  }

  @OnEvent(contactMerged, { scope: 'tenant' })
  async onMerged({ contact, mergedId }: EventData<typeof contactMerged>, envelope: EventEnvelope) {
    await this.requesters.reassign(envelope.tenantid, mergedId, contact.id);
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  async onErased({ contactId }: EventData<typeof contactErased>, envelope: EventEnvelope) {
    await this.requesters.erase(envelope.tenantid, contactId);
  }
}
