import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Ticket } from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { AppConfig } from '../../app.config';
import { OutgoingEmailRepository } from '../../email-out/outgoing-email.repository';
import { OutgoingEmailSender } from '../../email-out/outgoing-email.sender';
import { newMessageId } from '../../email-out/reply-email';
import { CsatRepository } from '../csat.repository';
import { CsatTokens } from '../csat-tokens';

/**
 * Once a ticket is solved, its requester gets one rating email (good / bad, each a signed link to
 * a page where they confirm and may comment): queued in the transaction of the solved event's
 * inbox row, sent by the mail sender, never twice for a ticket, never after a rating.
 */
@Injectable()
export class CsatSurvey {
  constructor(
    private readonly csat: CsatRepository,
    private readonly tokens: CsatTokens,
    private readonly outgoing: OutgoingEmailRepository,
    private readonly sender: OutgoingEmailSender,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async afterSolved(tenantId: string, ticket: Ticket): Promise<boolean> {
    if (ticket.status !== 'solved' || !ticket.requesterEmail) return false;
    const at = this.clock.now();
    const row = await this.csat.markSent(tenantId, ticket.id, at);
    if (!row?.mailbox || !row.requester_email) return false;
    const link = (rating: string) => `${this.config.SUPPORT_TICKETS_PUBLIC_BASE_URL}/api/v1/public/csat/${this.tokens.sign({ tenantId, ticketId: row.id })}?rating=${rating}`;
    await this.outgoing.insert(
      tenantId,
      {
        id: randomUUID(),
        ticketId: row.id,
        messageId: null,
        toAddress: row.requester_email,
        fromAddress: row.mailbox,
        subject: `[#${row.number}] How did we do?`,
        body: `Your request "${row.subject}" is solved. How did we do?\n\nGood: ${link('good')}\nBad: ${link('bad')}\n\nOne click; you may add a comment on the page that opens.`,
        emailMessageId: newMessageId(row.mailbox),
        inReplyTo: null,
        references: [],
        replyTo: null,
      },
      at,
    );
    this.sender.nudge();
    return true;
  }
}
