import { Global, Module } from '@nestjs/common';
import { AutomationEvents } from './automation-events';
import { IntegrationGatewayEventsRelay } from './event-relays/integration-gateway-events.relay';
import { InteractionsEventsRelay } from './event-relays/interactions-events.relay';
import { SalesAutomationEventsRelay } from './event-relays/sales-automation-events.relay';
import { SupportTicketsEventsRelay } from './event-relays/support-tickets-events.relay';

/**
 * The seams between the automation features (email, sequences, campaigns, rules): global so
 * each feature module reaches them without importing the others. EmailDispatch,
 * SequenceEnrolments and EmailLinkTracking are provided by their own modules and looked up
 * with ModuleRef (`{ strict: false }`) where used, so a feature works, and is tested, alone.
 * The relays hand every event no other handler applies to AutomationEvents.
 */
@Global()
@Module({
  controllers: [SalesAutomationEventsRelay, IntegrationGatewayEventsRelay, InteractionsEventsRelay, SupportTicketsEventsRelay],
  providers: [AutomationEvents],
  exports: [AutomationEvents],
})
export class AutomationPortsModule {}
