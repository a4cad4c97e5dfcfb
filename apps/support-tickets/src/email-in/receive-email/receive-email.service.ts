import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InboundEmailResult, ticketCreated, ticketMessageAdded } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { AttachmentStorage } from '../../attachments/attachment-storage';
import { MailboxRepository, MailboxRow } from '../../mailboxes/mailbox.repository';
import { toTicket, toTicketMessage, TicketRow } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EmailThreadRepository } from '../email-thread.repository';
import { LOOP_MARK, splitTaggedAddress, ticketNumberInSubject } from '../inbound-address';
import { InboundEmail, InboundEmailRefused, InboundLimits } from '../inbound-email';
import { parseInboundEmail } from '../parse-inbound-email';

/** Which mailbox an email came to (it names the tenant and group) and the +tag of the address, if any. */
interface Route {
  mailbox: MailboxRow;
  tag: string | null;
}

const result = (outcome: InboundEmailResult['outcome'], ticket: TicketRow | null, reason: string | null = null): InboundEmailResult => ({
  outcome,
  ticketId: ticket?.id ?? null,
  number: ticket?.number ?? null,
  reason,
});

/**
 * An inbound email, by SMTP or the raw-message route, becomes a ticket or a reply on one. It joins
 * a ticket by the Message-IDs it answers, then by the reply-to token, then by the `[#number]` in its
 * subject when the sender is the requester; a closed ticket's follow-up is a new ticket. Auto-replies,
 * loops and unmatched bounces never open a ticket; a bounce of a reply is noted on its ticket. The
 * same Message-ID twice is applied once.
 */
@Injectable()
export class ReceiveEmailService {
  private readonly limits: InboundLimits;

  constructor(
    config: AppConfig,
    private readonly mailboxes: MailboxRepository,
    private readonly threads: EmailThreadRepository,
    private readonly tickets: TicketRepository,
    private readonly storage: AttachmentStorage,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {
    this.limits = { maxBytes: config.SUPPORT_TICKETS_INBOUND_MAX_BYTES, maxAttachments: config.SUPPORT_TICKETS_INBOUND_MAX_ATTACHMENTS };
  }

  /** `tenantId`: only that tenant's mailboxes (the route's caller); `envelopeRecipients`: SMTP's RCPT TO. */
  async receive(raw: Buffer, options: { tenantId?: string; envelopeRecipients?: string[] } = {}): Promise<InboundEmailResult> {
    const email = await parseInboundEmail(raw, this.limits);
    const route = await this.route([...(options.envelopeRecipients ?? []), ...email.recipients], options.tenantId);
    if (email.loopMarks.includes(LOOP_MARK) || (await this.mailboxes.isMailbox(splitTaggedAddress(email.from.address).mailbox))) {
      return result('ignored', null, 'loop');
    }
    // Two emails on one ticket at once: the later one's version check fails; it runs again on the new version.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.apply(email, route);
      } catch (error) {
        if (!(error instanceof TicketMovedMeanwhile) || attempt === 5) throw error;
      }
    }
  }

  /** The first recipient that is a mailbox (of the tenant, when one is given). */
  async route(recipients: string[], tenantId?: string): Promise<Route> {
    const candidates = [...new Set(recipients.map((r) => r.toLowerCase()))].map(splitTaggedAddress);
    const rows = await this.mailboxes.byAddresses([...new Set(candidates.map((c) => c.mailbox))]);
    for (const candidate of candidates) {
      const mailbox = rows.find((row) => row.address === candidate.mailbox && (!tenantId || row.tenant_id === tenantId));
      if (mailbox) return { mailbox, tag: candidate.tag };
    }
    throw new InboundEmailRefused('UNKNOWN_MAILBOX', `None of ${candidates.map((c) => c.mailbox).join(', ') || 'its recipients'} takes mail here.`);
  }

  @Transactional()
  private async apply(email: InboundEmail, { mailbox, tag }: Route): Promise<InboundEmailResult> {
    const tenantId = mailbox.tenant_id;
    const already = await this.threads.withMessage(tenantId, email.messageId);
    if (already) return result('duplicate', (await this.tickets.find(tenantId, already)) ?? null);

    if (email.kind === 'bounce') {
      const ticket = await this.threads.byMessageIds(tenantId, [email.bounce?.originalMessageId, ...email.answers].filter((id): id is string => !!id));
      if (!ticket) return result('ignored', null, 'bounce');
      const { recipient, status } = email.bounce ?? {};
      const note = `Delivery of a reply to ${recipient ?? 'the requester'} failed${status ? ` (status ${status})` : ''}: ${email.subject}`;
      await this.addMessage(ticket, email, { kind: 'internal', authorType: 'system', authorId: null, body: note, withAttachments: false });
      return result('noted', ticket, 'bounce');
    }
    if (email.kind === 'auto-reply') return result('ignored', null, 'auto-reply');

    const ticket = await this.threadOf(tenantId, email, tag);
    if (ticket && ticket.status !== 'closed') {
      const reopened = await this.addMessage(ticket, email, {
        kind: 'public',
        authorType: 'customer',
        authorId: ticket.requester_id,
        body: email.newText,
        withAttachments: true,
      });
      return result('replied', reopened);
    }
    return result('created', await this.createTicket(mailbox, email));
  }

  private async threadOf(tenantId: string, email: InboundEmail, tag: string | null): Promise<TicketRow | undefined> {
    const byHeaders = await this.threads.byMessageIds(tenantId, email.answers);
    if (byHeaders) return byHeaders;
    if (tag) {
      const byToken = await this.threads.byReplyToken(tenantId, tag);
      if (byToken) return byToken;
    }
    // A number is easy to guess: it threads only mail from the ticket's own requester.
    const number = ticketNumberInSubject(email.subject);
    const byNumber = number === null ? undefined : await this.threads.byNumber(tenantId, number);
    return byNumber?.requester_email === email.from.address ? byNumber : undefined;
  }

  private async createTicket(mailbox: MailboxRow, email: InboundEmail): Promise<TicketRow> {
    const tenantId = mailbox.tenant_id;
    const at = this.clock.now();
    const row = await this.tickets.insert(
      tenantId,
      {
        id: randomUUID(),
        number: await this.tickets.nextNumber(tenantId),
        subject: email.subject.slice(0, 500),
        requesterId: null,
        requesterEmail: email.from.address,
        requesterName: email.from.name,
        mailbox: mailbox.address,
        replyToken: randomBytes(10).toString('hex'),
        channel: 'email',
        status: 'new',
        priority: 'normal',
        groupId: mailbox.group_id,
        assigneeId: null,
        tags: [],
      },
      at,
    );
    await this.insertMessage(row, email, { kind: 'public', authorType: 'customer', authorId: null, body: email.text || '(no text)', withAttachments: true }, at);
    await this.events.publish(ticketCreated, { ticket: toTicket(row) }, { tenantId, subject: row.id, entityVersion: row.version });
    return row;
  }

  /** A message on an existing ticket; a customer's reply reopens a pending or solved ticket. */
  private async addMessage(ticket: TicketRow, email: InboundEmail, message: NewEmailMessage): Promise<TicketRow> {
    const at = this.clock.now();
    const reopens = message.authorType === 'customer' && (ticket.status === 'pending' || ticket.status === 'solved');
    const updated = await this.tickets.update(ticket.tenant_id, ticket.id, ticket.version, reopens ? { status: 'open', solvedAt: null } : {}, at);
    if (!updated) throw new TicketMovedMeanwhile();
    const added = await this.insertMessage(updated, email, message, at);
    const { body: _body, ...withoutBody } = toTicketMessage(added);
    await this.events.publish(ticketMessageAdded, { ticket: toTicket(updated), message: withoutBody }, { tenantId: ticket.tenant_id, subject: ticket.id, entityVersion: updated.version });
    return updated;
  }

  private async insertMessage(ticket: TicketRow, email: InboundEmail, message: NewEmailMessage, at: Date) {
    const added = await this.tickets.insertMessage(
      ticket.tenant_id,
      { id: randomUUID(), ticketId: ticket.id, kind: message.kind, authorType: message.authorType, authorId: message.authorId, body: message.body, emailMessageId: email.messageId },
      at,
    );
    if (message.withAttachments && email.attachments.length) {
      const stored = await Promise.all(
        email.attachments.map(async (a) => ({
          id: randomUUID(),
          ticketId: ticket.id,
          messageId: added.id,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          inline: a.inline,
          storageKey: await this.storage.put(ticket.tenant_id, a.content),
        })),
      );
      await this.tickets.insertAttachments(ticket.tenant_id, stored, at);
    }
    return added;
  }
}

class TicketMovedMeanwhile extends Error {}

interface NewEmailMessage {
  kind: 'public' | 'internal';
  authorType: 'customer' | 'system';
  authorId: string | null;
  body: string;
  withAttachments: boolean;
}
