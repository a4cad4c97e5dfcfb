import { Module } from '@nestjs/common';
import { EventLogRepository } from './event-log/event-log.repository';
import { ContactsEventsHandler } from './ingest/contacts-events.handler';
import { SalesEventsHandler } from './ingest/sales-events.handler';
import { IngestEventService } from './ingest/ingest-event.service';
import { SupportTicketsEventsHandler } from './ingest/support-tickets-events.handler';
import { BulkProjector } from './projection/bulk-projector';
import { Projector } from './projection/projector';
import { CompanyViewRepository } from './read-models/company-view.repository';
import { ContactViewRepository } from './read-models/contact-view.repository';
import { InteractionDailyRepository } from './read-models/interaction-daily.repository';
import { InteractionFactRepository } from './read-models/interaction-fact.repository';
import { TenantCountersRepository } from './read-models/tenant-counters.repository';
import { TenantLock } from './read-models/tenant-lock';
import { RebuildReadModelsHandler } from './rebuild/rebuild-read-models.handler';
import { RebuildReadModelsService } from './rebuild/rebuild-read-models.service';
import { GetSummaryHandler } from './summary/get-summary.handler';
import { GetSummaryService } from './summary/get-summary.service';

const repositories = [
  EventLogRepository,
  ContactViewRepository,
  CompanyViewRepository,
  InteractionFactRepository,
  InteractionDailyRepository,
  TenantCountersRepository,
  TenantLock,
];

/** The event log, its projection into read models, and the use cases on top (no bus needed). */
@Module({
  providers: [...repositories, Projector, BulkProjector, IngestEventService, GetSummaryService, RebuildReadModelsService],
  exports: [...repositories, Projector, BulkProjector, IngestEventService, GetSummaryService, RebuildReadModelsService],
})
export class AnalyticsCoreModule {}

/** The bus entry points: event handlers, the summary query and the rebuild command. */
@Module({
  imports: [AnalyticsCoreModule],
  controllers: [ContactsEventsHandler, SalesEventsHandler, SupportTicketsEventsHandler, GetSummaryHandler, RebuildReadModelsHandler],
})
export class AnalyticsModule {}
