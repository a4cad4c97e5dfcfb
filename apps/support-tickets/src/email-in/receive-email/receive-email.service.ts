import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InboundEmailResult, ticketCreated, ticketMessageAdded } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { AttachmentStorage } from '../../attachments/attachment-storage';
import { MailboxDirectory } from '../../mailboxes/mailbox-directory';
import type { MailboxRow } from '../../mailboxes/mailbox.repository';
import { toTicket, toTicketMessage, TicketRow } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EmailThreadRepository } from '../email-thread.repository';
import { EmailTicketRepository } from '../email-ticket.repository';
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
    private readonly mailboxes: MailboxDirectory,
    private readonly threads: EmailThreadRepository,
    private readonly tickets: TicketRepository,
    private readonly emailTickets: EmailTicketRepository,
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

  private async apply(email: InboundEmail, { mailbox, tag }: Route): Promise<InboundEmailResult> {
    const tenantId = mailbox.tenant_id;
    if (email.kind === 'bounce') {
      const ticket = await this.threads.byMessageIds(tenantId, [email.bounce?.originalMessageId, ...email.answers].filter((id): id is string => !!id));
      if (!ticket) return result('ignored', null, 'bounce');
      const { recipient, status } = email.bounce ?? {};
      const note = `Delivery of a reply to ${recipient ?? 'the requester'} failed${status ? ` (status ${status})` : ''}: ${email.subject}`;
      const noted = await this.addMessage(ticket, email, { kind: 'internal', authorType: 'system', authorId: null, body: note, withAttachments: false });
      return noted ? result('noted', ticket, 'bounce') : this.duplicate(tenantId, email);
    }
    if (email.kind === 'auto-reply') return result('ignored', null, 'auto-reply');

    const ticket = await this.threadOf(tenantId, email, tag);
    if (ticket && ticket.status !== 'closed') {
      const replied = await this.addMessage(ticket, email, { kind: 'public', authorType: 'customer', authorId: ticket.requester_id, body: email.newText, withAttachments: true });
      return replied ? result('replied', replied) : this.duplicate(tenantId, email);
    }
    const created = await this.createTicket(mailbox, email);
    return created ? result('created', created) : this.duplicate(tenantId, email);
  }

  /** The same Message-ID came before: what it became. */
  private async duplicate(tenantId: string, email: InboundEmail): Promise<InboundEmailResult> {
    const ticketId = await this.threads.withMessage(tenantId, email.messageId);
    return result('duplicate', (ticketId && (await this.tickets.find(tenantId, ticketId))) || null);
  }

  private async threadOf(tenantId: string, email: InboundEmail, tag: string | null): Promise<TicketRow | undefined> {
    const byHeaders = await this.threads.byMessageIds(tenantId, email.answers);
    if (byHeaders) return byHeaders;
    if (tag) {
      const byToken = await this.threads.byReplyToken(tenantId, tag);
      if (byToken) return this.threads.followMerges(tenantId, byToken);
    }
    // A number is easy to guess: it threads only mail from the ticket's own requester.
    const number = ticketNumberInSubject(email.subject);
    const byNumber = number === null ? undefined : await this.threads.byNumber(tenantId, number);
    return byNumber?.requester_email === email.from.address ? this.threads.followMerges(tenantId, byNumber) : undefined;
  }

  /**
   * A new ticket with the email as its first message, in one statement (undefined: the email was
   * already taken). The number is drawn first, on its own: a duplicate delivery leaves a gap in the
   * numbers, never a second ticket.
   */
  private async createTicket(mailbox: MailboxRow, email: InboundEmail): Promise<TicketRow | undefined> {
    const tenantId = mailbox.tenant_id;
    const at = this.clock.now();
    const ticketId = randomUUID();
    const messageId = randomUUID();
    const attachments = await Promise.all(
      email.attachments.map(async (a) => ({
        id: randomUUID(),
        filename: a.filename,
        content_type: a.contentType,
        size: a.size,
        inline: a.inline,
        storage_key: await this.storage.put(tenantId, a.content),
      })),
    );
    const row: TicketRow = {
      id: ticketId,
      tenant_id: tenantId,
      number: await this.tickets.nextNumber(tenantId),
      subject: email.subject.slice(0, 500),
      requester_id: await this.emailTickets.knownRequester(tenantId, email.from.address),
      channel: 'email',
      status: 'new',
      priority: 'normal',
      group_id: mailbox.group_id,
      assignee_id: null,
      tags: [],
      solved_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
      mailbox: mailbox.address,
      reply_token: randomBytes(10).toString('hex'),
      requester_email: email.from.address,
      requester_name: email.from.name,
      sla_due_at: null,
      csat_at: null,
      csat_comment: null,
      csat_rating: null,
      csat_sent_at: null,
      merged_into_id: null,
      custom_fields: {},
    };
    let created = false;
    await this.events.publishAlong(ticketCreated, { ticket: toTicket(row) }, { tenantId, subject: ticketId, entityVersion: 1 }, async (outbox) => {
      created = await this.emailTickets.create(row, { id: messageId, body: email.text || '(no text)', emailMessageId: email.messageId }, attachments, outbox);
    });
    return created ? row : undefined;
  }

  /** A message on an existing ticket (undefined: the email was already taken); a customer's reply reopens a pending or solved ticket. */
  @Transactional()
  private async addMessage(ticket: TicketRow, email: InboundEmail, message: NewEmailMessage): Promise<TicketRow | undefined> {
    const at = this.clock.now();
    const added = await this.insertMessage(ticket.tenant_id, ticket.id, email, message, at);
    if (!added) return undefined;
    const reopens = message.authorType === 'customer' && (ticket.status === 'pending' || ticket.status === 'solved');
    const updated = await this.tickets.update(ticket.tenant_id, ticket.id, ticket.version, reopens ? { status: 'open', solvedAt: null } : {}, at);
    if (!updated) throw new TicketMovedMeanwhile();
    const { body: _body, ...withoutBody } = toTicketMessage(added);
    await this.events.publish(ticketMessageAdded, { ticket: toTicket(updated), message: withoutBody }, { tenantId: ticket.tenant_id, subject: ticket.id, entityVersion: updated.version });
    return updated;
  }

  private async insertMessage(tenantId: string, ticketId: string, email: InboundEmail, message: NewEmailMessage, at: Date) {
    const added = await this.tickets.insertEmailMessage(
      tenantId,
      { id: randomUUID(), ticketId, kind: message.kind, authorType: message.authorType, authorId: message.authorId, body: message.body, emailMessageId: email.messageId },
      at,
    );
    if (added && message.withAttachments && email.attachments.length) {
      const stored = await Promise.all(
        email.attachments.map(async (a) => ({
          id: randomUUID(),
          ticketId,
          messageId: added.id,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          inline: a.inline,
          storageKey: await this.storage.put(tenantId, a.content),
        })),
      );
      await this.tickets.insertAttachments(tenantId, stored, at);
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
