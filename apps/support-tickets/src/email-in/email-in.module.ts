import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { MailboxesModule } from '../mailboxes/mailboxes.module';
import { TicketRepository } from '../tickets/ticket.repository';
import { EmailThreadRepository } from './email-thread.repository';
import { EmailTicketRepository } from './email-ticket.repository';
import { InboundSmtpServer } from './inbound-smtp.server';
import { ReceiveEmailHandler } from './receive-email/receive-email.handler';
import { ReceiveEmailService } from './receive-email/receive-email.service';

/** Email into tickets: the SMTP listener and the raw-message command, one receiver behind both. */
@Module({
  imports: [MailboxesModule, AttachmentsModule],
  controllers: [ReceiveEmailHandler],
  providers: [
    TicketRepository,
    EmailThreadRepository,
    EmailTicketRepository,
    ReceiveEmailService,
    InboundSmtpServer,
  ],
  exports: [InboundSmtpServer, ReceiveEmailService],
})
export class EmailInModule {}
