import { Module } from '@nestjs/common';
import { FormBodyParser } from '@crm/service-kit';
import { ContactEmailController } from './contact-email.controller';
import { EmailTemplatesController } from './email-templates.controller';
import { PublicUnsubscribeController } from './public-unsubscribe.controller';

/** Email templates, consent, sending and the public one-click unsubscribe, answered by the sales-automation service over the bus. */
@Module({ controllers: [EmailTemplatesController, ContactEmailController, PublicUnsubscribeController], providers: [FormBodyParser] })
export class EmailRoutesModule {}
