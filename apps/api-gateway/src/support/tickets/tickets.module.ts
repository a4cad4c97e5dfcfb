import { Module } from '@nestjs/common';
import { InboundEmailController } from '../inbound-email/inbound-email.controller';
import { RawEmailBodyParser } from '../inbound-email/raw-email-body.parser';
import { MailboxesController } from '../mailboxes/mailboxes.controller';
import { BusinessHoursController, SlaPoliciesController } from '../sla/sla.controller';
import { TicketsController } from './tickets.controller';

/** The tickets routes (and email into them), answered by the support-tickets service over the bus. */
@Module({ controllers: [InboundEmailController, MailboxesController, TicketsController, SlaPoliciesController, BusinessHoursController], providers: [RawEmailBodyParser] })
export class TicketsRoutesModule {}
