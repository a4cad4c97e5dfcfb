import { Controller } from '@nestjs/common';
import { contactErased, contactMerged, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { ContactLifecycleService } from './contact-lifecycle.service';

/** What the integration gateway keeps about a contact follows its merge and its erasure. */
@Controller()
export class ContactLifecycleHandler {
  constructor(private readonly service: ContactLifecycleService) {}

  @OnEvent(contactMerged, { scope: 'tenant' })
  onMerged({ contact, mergedId }: EventData<typeof contactMerged>, { tenantid }: EventEnvelope) {
    return this.service.merged(tenantid, mergedId, contact.id);
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  onErased({ contactId }: EventData<typeof contactErased>, { tenantid }: EventEnvelope) {
    return this.service.erased(tenantid, contactId);
  }
}
