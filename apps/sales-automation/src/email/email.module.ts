import { Module } from '@nestjs/common';
import { EmailDispatch } from '../automation-ports/email-dispatch.port';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { SalesCursors } from '../shared/sales-cursors';
import { EmailConsentRepository } from './consent/email-consent.repository';
import { EmailConsentService } from './consent/email-consent.service';
import { CreateEmailTemplateHandler } from './create-template/create-template.handler';
import { CreateEmailTemplateService } from './create-template/create-template.service';
import { DeleteEmailTemplateHandler } from './delete-template/delete-template.handler';
import { DeleteEmailTemplateService } from './delete-template/delete-template.service';
import { EmailContactLifecycle } from './email-contact-lifecycle';
import { GetEmailConsentHandler } from './get-consent/get-consent.handler';
import { GetEmailTemplateHandler } from './get-template/get-template.handler';
import { ListEmailTemplatesHandler } from './list-templates/list-templates.handler';
import { ListEmailTemplatesService } from './list-templates/list-templates.service';
import { PreviewEmailTemplateHandler } from './preview-template/preview-template.handler';
import { PreviewEmailTemplateService } from './preview-template/preview-template.service';
import { SendContactEmailHandler } from './send-contact-email/send-contact-email.handler';
import { SendContactEmailService } from './send-contact-email/send-contact-email.service';
import { EmailContextRepository } from './sending/email-context.repository';
import { EmailDispatchService } from './sending/email-dispatch.service';
import { EmailSendRepository } from './sending/email-send.repository';
import { SmtpMailer } from './sending/smtp-mailer';
import { UnsubscribeTokens } from './sending/unsubscribe-token';
import { SetEmailConsentHandler } from './set-consent/set-consent.handler';
import { EmailSenderHandler } from './senders/email-sender.handler';
import { EmailSenderRepository } from './senders/email-sender.repository';
import { EmailSenders } from './senders/email-senders';
import { EmailTemplateRepository } from './templates/email-template.repository';
import { TemplateRenderer } from './templates/template-renderer';
import { UnsubscribeHandler } from './unsubscribe/unsubscribe.handler';
import { UpdateEmailTemplateHandler } from './update-template/update-template.handler';
import { UpdateEmailTemplateService } from './update-template/update-template.service';

/**
 * Email for real: Liquid templates, each contact's consent with the public one-click unsubscribe,
 * and sending over pooled SMTP (the EmailDispatch the sequences, campaigns and rules use).
 */
@Module({
  imports: [JobsModule],
  controllers: [
    CreateEmailTemplateHandler,
    GetEmailTemplateHandler,
    ListEmailTemplatesHandler,
    UpdateEmailTemplateHandler,
    DeleteEmailTemplateHandler,
    PreviewEmailTemplateHandler,
    GetEmailConsentHandler,
    SetEmailConsentHandler,
    UnsubscribeHandler,
    SendContactEmailHandler,
    EmailSenderHandler,
  ],
  providers: [
    SalesCursors,
    EmailTemplateRepository,
    EmailConsentRepository,
    EmailSendRepository,
    EmailContextRepository,
    TemplateRenderer,
    SmtpMailer,
    UnsubscribeTokens,
    CreateEmailTemplateService,
    ListEmailTemplatesService,
    UpdateEmailTemplateService,
    DeleteEmailTemplateService,
    PreviewEmailTemplateService,
    EmailConsentService,
    SendContactEmailService,
    EmailContactLifecycle,
    EmailSenderRepository,
    EmailSenders,
    EmailDispatchService,
    { provide: EmailDispatch, useExisting: EmailDispatchService },
  ],
  exports: [EmailDispatch, EmailContactLifecycle],
})
export class EmailModule {}
