import { Module } from '@nestjs/common';
import { TicketRepository } from '../tickets/ticket.repository';
import { BusinessHoursHandler } from './business-hours/business-hours.handler';
import { SlaRepository } from './sla.repository';
import { SlaPoliciesHandler } from './sla-policies/sla-policies.handler';
import { SlaTimerRunner } from './timers/sla-timer-runner';
import { SlaTracker } from './track/sla-tracker';

/** SLAs: business hours, policies per priority, each ticket's timers kept from its events, and the runner that fires them. */
@Module({
  controllers: [BusinessHoursHandler, SlaPoliciesHandler],
  providers: [SlaRepository, TicketRepository, SlaTracker, SlaTimerRunner],
  exports: [SlaTimerRunner, SlaTracker],
})
export class SlaModule {}
