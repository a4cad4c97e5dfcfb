import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { PublicCsatController } from '../csat/public-csat.controller';
import { GroupsController } from '../groups/groups.controller';
import { InboundEmailController } from '../inbound-email/inbound-email.controller';
import { RawEmailBodyParser } from '../inbound-email/raw-email-body.parser';
import { KbArticlesController, KbCategoriesController } from '../kb/kb.controller';
import { MacrosController, TicketMacrosController } from '../macros/macros.controller';
import { MailboxesController } from '../mailboxes/mailboxes.controller';
import { PhoneCallsController } from '../phone/phone-calls.controller';
import { PortalSignInController } from '../portal/portal-sign-in.controller';
import { PortalKbController, PortalTicketsController } from '../portal/portal-tickets.controller';
import { BusinessHoursController, SlaPoliciesController } from '../sla/sla.controller';
import { SupportFormsController, SupportFormSubmissionsController } from '../web-form/support-forms.controller';
import { TicketAttachmentsController } from './ticket-attachments.controller';
import { TicketFieldsController } from './ticket-fields.controller';
import { TicketsController } from './tickets.controller';

/** The tickets routes (and email into them), answered by the support-tickets service over the bus. */
@Module({
  // TokenService: a spent portal sign-in link becomes a portal access token.
  imports: [AuthModule],
  controllers: [
    InboundEmailController,
    MailboxesController,
    TicketsController,
    TicketAttachmentsController,
    TicketFieldsController,
    SlaPoliciesController,
    BusinessHoursController,
    KbArticlesController,
    KbCategoriesController,
    GroupsController,
    MacrosController,
    TicketMacrosController,
    PhoneCallsController,
    SupportFormsController,
    SupportFormSubmissionsController,
    PublicCsatController,
    PortalSignInController,
    PortalTicketsController,
    PortalKbController,
  ],
  providers: [RawEmailBodyParser],
})
export class TicketsRoutesModule {}
