import { Controller } from '@nestjs/common';
import { DomainError, getCsatSurvey, rateTicket, RpcRequest, ticketCsatReceived } from '@crm/contracts';
import { EventPublisher, OnRpc } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { ticketNotFound, validationFailed } from '../../tickets/ticket-errors';
import { TicketRow, toTicket } from '../../tickets/ticket.mapper';
import { CsatRepository } from '../csat.repository';
import { CsatTokens } from '../csat-tokens';

const WHY = "the CSAT rating link in a solved ticket's email: the customer confirms it with no credentials; the HMAC-signed token names tenant and ticket";
const PAGE_WHY = "the CSAT rating link in a solved ticket's email: a browser opens it with no credentials; the HMAC-signed token names tenant and ticket";

/** The requester's rating through the link of their survey email: recorded (or changed) and announced. */
@Controller()
export class RateTicketHandler {
  constructor(
    private readonly tokens: CsatTokens,
    private readonly csat: CsatRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @OnRpc(getCsatSurvey, { scope: 'public', why: PAGE_WHY })
  async survey({ token }: RpcRequest<typeof getCsatSurvey>) {
    const ticket = await this.ticketOf(token);
    return { ticketNumber: ticket.number, subject: ticket.subject, rating: (ticket.csat_rating as 'good' | 'bad' | null) ?? null };
  }

  @OnRpc(rateTicket, { scope: 'public', why: WHY })
  @Transactional()
  async rate({ token, rating, comment }: RpcRequest<typeof rateTicket>) {
    const { tenant_id: tenantId, id: ticketId } = await this.ticketOf(token);
    const rated = await this.csat.rate(tenantId, ticketId, rating, comment, this.clock.now());
    if (!rated) throw new DomainError('CONFLICT', 'This request is open again: it can be rated once it is solved.');
    await this.events.publish(ticketCsatReceived, { ticket: toTicket(rated), rating }, { tenantId, subject: ticketId, entityVersion: rated.version });
    return { ticketNumber: rated.number, rating };
  }

  /** The ticket the link names, if we signed the link for that ticket's tenant. */
  private async ticketOf(token: string): Promise<TicketRow> {
    const ticketId = this.tokens.ticketIdOf(token);
    const ticket = ticketId && (await this.csat.ticket(ticketId));
    if (ticket && this.tokens.isSignedFor(token, ticket.tenant_id)) return ticket;
    if (ticketId && !ticket) throw ticketNotFound(ticketId);
    throw validationFailed([{ path: 'token', message: 'is not a rating link of ours' }]);
  }
}
