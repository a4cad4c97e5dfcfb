import { Module } from '@nestjs/common';
import { AttachmentStorage } from '../attachments/attachment-storage';
import { FilesystemAttachmentStorage } from '../attachments/filesystem-attachment-storage';
import { MailboxesModule } from '../mailboxes/mailboxes.module';
import { TicketRepository } from '../tickets/ticket.repository';
import { EmailThreadRepository } from './email-thread.repository';
import { EmailTicketRepository } from './email-ticket.repository';
import { InboundSmtpServer } from './inbound-smtp.server';
import { ReceiveEmailHandler } from './receive-email/receive-email.handler';
import { ReceiveEmailService } from './receive-email/receive-email.service';

/** Email into tickets: the SMTP listener and the raw-message command, one receiver behind both. */
@Module({
  imports: [MailboxesModule],
  controllers: [ReceiveEmailHandler],
  providers: [
    TicketRepository,
    EmailThreadRepository,
    EmailTicketRepository,
    { provide: AttachmentStorage, useClass: FilesystemAttachmentStorage },
    ReceiveEmailService,
    InboundSmtpServer,
  ],
  exports: [InboundSmtpServer, ReceiveEmailService],
})
export class EmailInModule {}
