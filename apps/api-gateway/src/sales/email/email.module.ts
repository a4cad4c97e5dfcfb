import { Module } from '@nestjs/common';
import { FormBodyParser } from '@crm/service-kit';
import { ContactEmailController } from './contact-email.controller';
import { EmailSenderController } from './email-sender.controller';
import { EmailTemplatesController } from './email-templates.controller';
import { PublicEmailTrackingController } from './public-email-tracking.controller';
import { PublicUnsubscribeController } from './public-unsubscribe.controller';

/** Email templates, consent, sending, the public one-click unsubscribe and the open and click tracking, answered by the sales-automation service over the bus. */
@Module({
  controllers: [EmailTemplatesController, EmailSenderController, ContactEmailController, PublicUnsubscribeController, PublicEmailTrackingController],
  providers: [FormBodyParser],
})
export class EmailRoutesModule {}
