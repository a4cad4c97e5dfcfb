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
  EventEnvelope,
  interactionLogged,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { IngestEventService } from './ingest-event.service';

/**
 * Every event of the contacts service analytics keeps. The handlers are alike on purpose: the
 * event log takes each as it is (with its data as the contract parsed it), and the projector
 * decides what it changes.
 */
@Controller()
export class ContactsEventsHandler {
  constructor(private readonly ingest: IngestEventService) {}

  @OnEvent(contactCreated, { scope: 'tenant' })
  onContactCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactUpdated, { scope: 'tenant' })
  onContactUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactMerged, { scope: 'tenant' })
  onContactMerged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactDeleted, { scope: 'tenant' })
  onContactDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactRestored, { scope: 'tenant' })
  onContactRestored(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactErased, { scope: 'tenant' })
  onContactErased(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyCreated, { scope: 'tenant' })
  onCompanyCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyUpdated, { scope: 'tenant' })
  onCompanyUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyDeleted, { scope: 'tenant' })
  onCompanyDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyRestored, { scope: 'tenant' })
  onCompanyRestored(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(interactionLogged, { scope: 'tenant' })
  onInteractionLogged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }
}
