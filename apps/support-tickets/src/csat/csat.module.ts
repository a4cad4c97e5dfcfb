import { Module } from '@nestjs/common';
import { EmailOutModule } from '../email-out/email-out.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CsatRepository } from './csat.repository';
import { CsatTokens } from './csat-tokens';
import { RateTicketHandler } from './rate/rate-ticket.handler';
import { CsatSurvey } from './survey/csat-survey';

/** Customer satisfaction: the rating email once solved, and the rating through its signed link. */
@Module({
  imports: [EmailOutModule, TicketsModule],
  controllers: [RateTicketHandler],
  providers: [CsatRepository, CsatTokens, CsatSurvey],
  exports: [CsatSurvey, CsatTokens],
})
export class CsatModule {}
