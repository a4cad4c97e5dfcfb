import { Module } from '@nestjs/common';
import { CsatModule } from '../csat/csat.module';
import { GroupsModule } from '../groups/groups.module';
import { SlaModule } from '../sla/sla.module';
import { OwnTicketEventsHandler } from './own-ticket-events.handler';

/** What the service does after its own ticket events: assignment, SLA timers, the CSAT survey. */
@Module({ imports: [GroupsModule, SlaModule, CsatModule], controllers: [OwnTicketEventsHandler] })
export class TicketEventsModule {}
