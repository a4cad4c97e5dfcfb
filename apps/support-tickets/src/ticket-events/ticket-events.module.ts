import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { SlaModule } from '../sla/sla.module';
import { OwnTicketEventsHandler } from './own-ticket-events.handler';

/** What the service does after its own ticket events: assignment and SLA timers. */
@Module({ imports: [GroupsModule, SlaModule], controllers: [OwnTicketEventsHandler] })
export class TicketEventsModule {}
