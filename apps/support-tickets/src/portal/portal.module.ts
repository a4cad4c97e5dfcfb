import { Module } from '@nestjs/common';
import { EmailOutModule } from '../email-out/email-out.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CreateOwnTicketHandler } from './create-own-ticket/create-own-ticket.handler';
import { CreateOwnTicketService } from './create-own-ticket/create-own-ticket.service';
import { GetOwnTicketHandler } from './get-own-ticket/get-own-ticket.handler';
import { ListOwnTicketsHandler } from './list-own-tickets/list-own-tickets.handler';
import { PortalLinkRepository } from './portal-link.repository';
import { PortalTicketRepository } from './portal-ticket.repository';
import { PortalThread } from './portal-view';
import { RedeemPortalLinkHandler } from './redeem-link/redeem-link.handler';
import { RequestPortalLinkHandler } from './request-link/request-link.handler';
import { RequestPortalLinkService } from './request-link/request-link.service';
import { PortalReplyHandler } from './reply/reply.handler';
import { PortalReplyService } from './reply/reply.service';

/** The customer self-service portal: one-time sign-in links, and the customer's own tickets (read, answer, open). */
@Module({
  imports: [EmailOutModule, TicketsModule],
  controllers: [RequestPortalLinkHandler, RedeemPortalLinkHandler, ListOwnTicketsHandler, GetOwnTicketHandler, PortalReplyHandler, CreateOwnTicketHandler],
  providers: [PortalLinkRepository, PortalTicketRepository, PortalThread, RequestPortalLinkService, PortalReplyService, CreateOwnTicketService],
  exports: [CreateOwnTicketService],
})
export class PortalModule {}
