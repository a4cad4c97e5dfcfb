import { Module } from '@nestjs/common';
import { TicketRepository } from '../tickets/ticket.repository';
import { OutgoingEmailRepository } from './outgoing-email.repository';
import { OutgoingEmailSender } from './outgoing-email.sender';
import { OutgoingReplies } from './outgoing-replies';
import { SupportMailer } from './support-mailer';

/** Public replies to email tickets, queued in their transaction and sent by SMTP. */
@Module({
  providers: [TicketRepository, OutgoingEmailRepository, SupportMailer, OutgoingEmailSender, OutgoingReplies],
  exports: [OutgoingReplies, OutgoingEmailRepository, OutgoingEmailSender],
})
export class EmailOutModule {}
