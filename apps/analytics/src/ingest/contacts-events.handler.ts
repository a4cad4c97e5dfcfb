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

  @OnEvent(contactCreated)
  onContactCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactUpdated)
  onContactUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactMerged)
  onContactMerged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactDeleted)
  onContactDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactRestored)
  onContactRestored(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(contactErased)
  onContactErased(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyCreated)
  onCompanyCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyUpdated)
  onCompanyUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyDeleted)
  onCompanyDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(companyRestored)
  onCompanyRestored(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(interactionLogged)
  onInteractionLogged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }
}
