import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { taggedAddress } from '../email-in/inbound-address';
import { TicketMessageRow, TicketRow } from '../tickets/ticket.mapper';
import { TicketRepository } from '../tickets/ticket.repository';
import { OutgoingEmailRepository } from './outgoing-email.repository';
import { OutgoingEmailSender } from './outgoing-email.sender';
import { newMessageId, replySubject, threadHeaders } from './reply-email';

/**
 * An agent's public reply on an email ticket goes to the requester: queued in the reply's
 * transaction (never lost, never sent for a reply that rolled back), threaded on the emails before it.
 */
@Injectable()
export class OutgoingReplies {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly outgoing: OutgoingEmailRepository,
    private readonly sender: OutgoingEmailSender,
  ) {}

  /** The Message-ID a public reply on this ticket goes out with; null when the ticket has nobody to email. */
  messageIdFor(ticket: TicketRow): string | null {
    return ticket.requester_email && ticket.mailbox ? newMessageId(ticket.mailbox) : null;
  }

  async queue(ticket: TicketRow, reply: TicketMessageRow, at: Date): Promise<void> {
    if (!ticket.requester_email || !ticket.mailbox || !reply.email_message_id) return;
    const thread = await this.tickets.messages(ticket.tenant_id, ticket.id);
    const earlier = thread.filter((m) => m.kind === 'public' && m.email_message_id && m.id !== reply.id).map((m) => m.email_message_id as string);
    const { inReplyTo, references } = threadHeaders(earlier);
    await this.outgoing.insert(
      ticket.tenant_id,
      {
        id: randomUUID(),
        ticketId: ticket.id,
        messageId: reply.id,
        toAddress: ticket.requester_email,
        fromAddress: ticket.mailbox,
        replyTo: ticket.reply_token ? taggedAddress(ticket.mailbox, ticket.reply_token) : null,
        subject: replySubject(ticket.number, ticket.subject),
        body: `${reply.body}\n\n--\nTicket #${ticket.number}. Reply to this email to add to it.`,
        emailMessageId: reply.email_message_id,
        inReplyTo,
        references,
      },
      at,
    );
    this.sender.nudge();
  }
}
