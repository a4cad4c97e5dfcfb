import { Controller } from '@nestjs/common';
import {
  dealCreated,
  dealDeleted,
  dealLost,
  dealMoved,
  dealUpdated,
  dealWon,
  EventEnvelope,
  leadConverted,
  leadCreated,
  leadDeleted,
  leadDisqualified,
  leadFormCreated,
  leadFormDeleted,
  leadFormUpdated,
  orderRecorded,
  orderStatusChanged,
  pipelineCreated,
  pipelineDeleted,
  pipelineUpdated,
  productCreated,
  productDeleted,
  productUpdated,
  leadUpdated,
  orderUpdated,
  taskCompleted,
  taskCreated,
  taskDeleted,
  taskUpdated,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { IngestEventService } from './ingest-event.service';

/** The sales service's events analytics keeps (PROJECTIONS says what each changes: for now, only the log). */
@Controller()
export class SalesEventsHandler {
  constructor(private readonly ingest: IngestEventService) {}

  @OnEvent(orderRecorded, { scope: 'tenant' })
  onOrderRecorded(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(orderStatusChanged, { scope: 'tenant' })
  onOrderStatusChanged(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(orderUpdated, { scope: 'tenant' })
  onOrderUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealCreated, { scope: 'tenant' })
  onDealCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealUpdated, { scope: 'tenant' })
  onDealUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealMoved, { scope: 'tenant' })
  onDealMoved(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealWon, { scope: 'tenant' })
  onDealWon(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealLost, { scope: 'tenant' })
  onDealLost(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(dealDeleted, { scope: 'tenant' })
  onDealDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadCreated, { scope: 'tenant' })
  onLeadCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadUpdated, { scope: 'tenant' })
  onLeadUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadDeleted, { scope: 'tenant' })
  onLeadDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadConverted, { scope: 'tenant' })
  onLeadConverted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadDisqualified, { scope: 'tenant' })
  onLeadDisqualified(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(taskCreated, { scope: 'tenant' })
  onTaskCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(taskUpdated, { scope: 'tenant' })
  onTaskUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(taskDeleted, { scope: 'tenant' })
  onTaskDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(taskCompleted, { scope: 'tenant' })
  onTaskCompleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(productCreated, { scope: 'tenant' })
  onProductCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(productUpdated, { scope: 'tenant' })
  onProductUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(productDeleted, { scope: 'tenant' })
  onProductDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(pipelineCreated, { scope: 'tenant' })
  onPipelineCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(pipelineUpdated, { scope: 'tenant' })
  onPipelineUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(pipelineDeleted, { scope: 'tenant' })
  onPipelineDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadFormCreated, { scope: 'tenant' })
  onFormCreated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadFormUpdated, { scope: 'tenant' })
  onFormUpdated(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }

  @OnEvent(leadFormDeleted, { scope: 'tenant' })
  onFormDeleted(data: unknown, envelope: EventEnvelope) {
    return this.ingest.ingest({ ...envelope, data });
  }
}
