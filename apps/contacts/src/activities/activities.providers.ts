import { ActivityRepository } from './activity.repository';
import { ListActivitiesHandler } from './list-activities/list-activities.handler';
import { ListActivitiesService } from './list-activities/list-activities.service';
import { RecordSalesActivityService } from './record-sales-activity/record-sales-activity.service';
import { SalesEventsHandler } from './record-sales-activity/sales-events.handler';
import { RecordTicketActivityService } from './record-ticket-activity/record-ticket-activity.service';
import { SupportTicketsEventsHandler } from './record-ticket-activity/support-tickets-events.handler';

export const activityProviders = [ActivityRepository, RecordSalesActivityService, RecordTicketActivityService, ListActivitiesService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const activityControllers = [SalesEventsHandler, SupportTicketsEventsHandler, ListActivitiesHandler];
