import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { createPortalTicket, getKbArticle, getPortalTicket, listPortalTickets, replyToPortalTicket, searchKbArticles } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import { CurrentCustomer, PortalCustomer, portalActor } from '../../authz/current-customer.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { PortalKbQuery, portalKbQuerySchema, PortalKbSuggestionsQuery, portalKbSuggestionsQuerySchema } from '../kb/kb.dto';
import { PortalListQuery, portalListQuerySchema, PortalReplyBody, portalReplyBodySchema, PortalTicketBody, portalTicketBodySchema } from './portal.dto';

/**
 * The signed-in customer's own tickets: each call names the customer's address from their portal
 * token, and the service reads only tickets they asked (anyone else's is a 404, in the same tenant too).
 */
@Controller('api/v1/portal/tickets')
export class PortalTicketsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listPortalTickets', summary: 'My tickets, newest first (portal customer)' })
  @ApiZodResponse(200, listPortalTickets.response)
  @Get()
  @RequirePermission('portal', 'read')
  list(@Query(new ZodValidationPipe(portalListQuerySchema)) page: PortalListQuery, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.relay(listPortalTickets, { ...page, customer: { email: customer.email } }, portalActor(customer));
  }

  @ApiOperation({ operationId: 'createPortalTicket', summary: 'Open a ticket as the signed-in customer' })
  @ApiZodResponse(201, createPortalTicket.response)
  @Post()
  @HttpCode(201)
  @RequirePermission('portal', 'create')
  create(@Body(new ZodValidationPipe(portalTicketBodySchema)) ticket: PortalTicketBody, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.call(createPortalTicket, { ticket, customer: { email: customer.email } }, portalActor(customer), { bodyAt: 'ticket' });
  }

  @ApiOperation({ operationId: 'getPortalTicket', summary: 'One of my tickets with its public thread (no internal notes)' })
  @ApiZodResponse(200, getPortalTicket.response)
  @Get(':id')
  @RequirePermission('portal', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.call(getPortalTicket, { id, customer: { email: customer.email } }, portalActor(customer));
  }

  @ApiOperation({ operationId: 'replyToPortalTicket', summary: 'Answer one of my tickets (reopens it when pending or solved; 409 once closed)' })
  @ApiZodResponse(201, replyToPortalTicket.response)
  @Post(':id/replies')
  @HttpCode(201)
  @RequirePermission('portal', 'update')
  reply(@Param('id', new UuidParamPipe()) id: string, @Body(new ZodValidationPipe(portalReplyBodySchema)) { body }: PortalReplyBody, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.call(replyToPortalTicket, { id, body, customer: { email: customer.email } }, portalActor(customer));
  }
}

/** The tenant's published knowledge base, for its portal customers: search, read, and suggestions while writing a ticket. */
@Controller('api/v1/portal/kb')
export class PortalKbController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'searchPortalKb', summary: 'Search the published articles (portal customer)' })
  @ApiZodResponse(200, searchKbArticles.response)
  @Get('articles')
  @RequirePermission('portal', 'read')
  search(@Query(new ZodValidationPipe(portalKbQuerySchema)) query: PortalKbQuery, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.relay(searchKbArticles, { ...query, publishedOnly: true }, portalActor(customer));
  }

  @ApiOperation({ operationId: 'getPortalKbArticle', summary: 'Read a published article (a draft is a 404)' })
  @ApiZodResponse(200, getKbArticle.response)
  @Get('articles/:id')
  @RequirePermission('portal', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.call(getKbArticle, { id, publishedOnly: true }, portalActor(customer));
  }

  @ApiOperation({ operationId: 'suggestPortalKbArticles', summary: 'Articles that may answer what the customer is writing (any of its words)' })
  @ApiZodResponse(200, searchKbArticles.response)
  @Get('suggestions')
  @RequirePermission('portal', 'read')
  suggest(@Query(new ZodValidationPipe(portalKbSuggestionsQuerySchema)) { text, limit }: PortalKbSuggestionsQuery, @CurrentCustomer() customer: PortalCustomer) {
    return this.bus.relay(searchKbArticles, { suggestFor: text, limit, publishedOnly: true }, portalActor(customer));
  }
}
