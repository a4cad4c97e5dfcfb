import { Controller } from '@nestjs/common';
import { contactErased, contactMerged, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { ContactLifecycleService } from './contact-lifecycle.service';

/** What the integration gateway keeps about a contact follows its merge and its erasure (and the feed carries both). */
@Controller()
export class ContactLifecycleHandler {
  constructor(private readonly service: ContactLifecycleService) {}

  @OnEvent(contactMerged, { scope: 'tenant' })
  onMerged(data: EventData<typeof contactMerged>, envelope: EventEnvelope) {
    return this.service.merged({ ...envelope, data }, data.mergedId, data.contact.id);
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  onErased(data: EventData<typeof contactErased>, envelope: EventEnvelope) {
    return this.service.erased({ ...envelope, data }, data.contactId);
  }
}
