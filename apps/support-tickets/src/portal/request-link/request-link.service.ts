import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { newMessageId } from '../../email-out/reply-email';
import { OutgoingEmailRepository } from '../../email-out/outgoing-email.repository';
import { OutgoingEmailSender } from '../../email-out/outgoing-email.sender';
import { TicketRepository } from '../../tickets/ticket.repository';
import { PortalLinkRepository } from '../portal-link.repository';

export const hashPortalToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * A one-time sign-in link by email, only to an address that asked tickets of the tenant. The token
 * (32 random bytes) is in the email only; the database keeps its hash. Queued with the link in one
 * transaction and sent by the mail sender (retried like replies).
 */
@Injectable()
export class RequestPortalLinkService {
  constructor(
    private readonly links: PortalLinkRepository,
    private readonly tickets: TicketRepository,
    private readonly outgoing: OutgoingEmailRepository,
    private readonly sender: OutgoingEmailSender,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Transactional()
  async request(tenantId: string, email: string): Promise<{ accepted: true }> {
    if (!(await this.links.isRequester(tenantId, email))) return { accepted: true };
    const at = this.clock.now();
    await this.links.deleteStale(new Date(at.getTime() - 3_600_000));
    const token = randomBytes(32).toString('base64url');
    const minutes = this.config.SUPPORT_TICKETS_PORTAL_LINK_MINUTES;
    await this.links.insert({ tokenHash: hashPortalToken(token), tenantId, email, expiresAt: new Date(at.getTime() + minutes * 60_000) }, at);
    const from = (await this.tickets.firstMailbox(tenantId))?.address ?? this.config.SUPPORT_TICKETS_PORTAL_MAIL_FROM;
    const link = new URL(this.config.SUPPORT_TICKETS_PORTAL_URL);
    link.searchParams.set('token', token);
    await this.outgoing.insert(
      tenantId,
      {
        id: randomUUID(),
        ticketId: null,
        messageId: null,
        toAddress: email,
        fromAddress: from,
        subject: 'Your sign-in link to the support portal',
        body: `Sign in to see and answer your support tickets:\n\n${link.href}\n\nThe link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.`,
        emailMessageId: newMessageId(from),
        inReplyTo: null,
        references: [],
        replyTo: null,
      },
      at,
    );
    this.sender.nudge();
    return { accepted: true };
  }
}
