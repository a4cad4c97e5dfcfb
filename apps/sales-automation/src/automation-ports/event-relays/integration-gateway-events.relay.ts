import { Controller } from '@nestjs/common';
import {
  EventData,
  EventEnvelope,
  apiClientCreated,
  apiClientRevoked,
  apiClientSecretRotated,
  apiClientUpdated,
  bulkJobFinished,
  fieldOwnershipChanged,
  integrationGatewayWebhookDisabled,
  salesOrderRequested,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-event-of';
import { AutomationEvents } from '../automation-events';

/**
 * The integration gateway's events (ERP sync, API clients, webhooks): rules may react to any of them.
 * Each handler only hands the event to AutomationEvents (rules, sequences), through the inbox.
 */
@Controller()
export class IntegrationGatewayEventsRelay {
  constructor(private readonly automation: AutomationEvents) {}

  @OnEvent(apiClientCreated, { scope: 'tenant' })
  onApiClientCreated(data: EventData<typeof apiClientCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(apiClientUpdated, { scope: 'tenant' })
  onApiClientUpdated(data: EventData<typeof apiClientUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(apiClientSecretRotated, { scope: 'tenant' })
  onApiClientSecretRotated(data: EventData<typeof apiClientSecretRotated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(apiClientRevoked, { scope: 'tenant' })
  onApiClientRevoked(data: EventData<typeof apiClientRevoked>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(bulkJobFinished, { scope: 'tenant' })
  onBulkJobFinished(data: EventData<typeof bulkJobFinished>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(integrationGatewayWebhookDisabled, { scope: 'tenant' })
  onIntegrationGatewayWebhookDisabled(data: EventData<typeof integrationGatewayWebhookDisabled>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(fieldOwnershipChanged, { scope: 'tenant' })
  onFieldOwnershipChanged(data: EventData<typeof fieldOwnershipChanged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(salesOrderRequested, { scope: 'tenant' })
  onSalesOrderRequested(data: EventData<typeof salesOrderRequested>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }
}
