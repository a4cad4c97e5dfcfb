import { Controller } from '@nestjs/common';
import { contactErased, contactMerged, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { RequesterRepository } from './requester.repository';

/** The contacts service's merge and erasure, through the inbox (each applied once, in the inbox's transaction). */
@Controller()
export class ContactsEventsHandler {
  constructor(private readonly requesters: RequesterRepository) {}

  @OnEvent(contactMerged, { scope: 'tenant' })
  async onMerged({ contact, mergedId }: EventData<typeof contactMerged>, envelope: EventEnvelope) {
    await this.requesters.reassign(envelope.tenantid, mergedId, contact.id);
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  async onErased({ contactId }: EventData<typeof contactErased>, envelope: EventEnvelope) {
    await this.requesters.erase(envelope.tenantid, contactId);
  }
}
