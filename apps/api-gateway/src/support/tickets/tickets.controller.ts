import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, addTicketMessage, createTicket, getTicket, listTickets, mergeTickets, updateTicket } from '@crm/contracts';
import { ApiProblem, ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import {
  AddTicketMessageBody,
  addTicketMessageBodySchema,
  CreateTicketBody,
  createTicketBodySchema,
  ListTicketsQuery,
  listTicketsQuerySchema,
  MergeTicketsBody,
  mergeTicketsBodySchema,
  UpdateTicketBody,
  updateTicketBodySchema,
} from './tickets.dto';

/** Support tickets and their threads: each route is one command or query to the support-tickets service. */
@Controller('api/v1/tickets')
@VersionEtag()
export class TicketsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createTicket', summary: 'Open a ticket with its first message (numbered per tenant)' })
  @ApiZodResponse(201, createTicket.response)
  @Post()
  @RequirePermission('tickets', 'create')
  async create(
    @Body(new ZodValidationPipe(createTicketBodySchema)) ticket: CreateTicketBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createTicket, { ticket }, actor, { bodyAt: 'ticket' });
    void reply.status(201).header('location', `/api/v1/tickets/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listTickets', summary: 'List tickets (newest first, or sort=slaDueAt: the agent inbox, most urgent SLA first), by status, assignee, group or requester' })
  @ApiZodResponse(200, listTickets.response)
  @Get()
  @RequirePermission('tickets', 'read')
  list(@Query(new ZodValidationPipe(listTicketsQuerySchema)) { cursor, limit, sort, ...filter }: ListTicketsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listTickets, { cursor, limit, sort, filter }, actor);
  }

  @ApiOperation({ operationId: 'getTicket', summary: 'Get a ticket with its thread (ETag: its version)' })
  @ApiZodResponse(200, getTicket.response)
  @Get(':id')
  @RequirePermission('tickets', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getTicket, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateTicket', summary: 'Change status, priority, group, assignee, tags or subject (If-Match: conditional; 409 once closed)' })
  @ApiZodResponse(200, updateTicket.response)
  @Patch(':id')
  @RequirePermission('tickets', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateTicketBodySchema)) patch: UpdateTicketBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateTicket, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({
    operationId: 'addTicketMessage',
    summary: 'Reply to the requester (public) or add an internal note (If-Match: conditional; 409 once closed)',
  })
  @ApiZodResponse(201, addTicketMessage.response)
  @Post(':id/messages')
  @HttpCode(201)
  @RequirePermission('tickets', 'update')
  addMessage(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(addTicketMessageBodySchema)) message: AddTicketMessageBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(addTicketMessage, { id, message, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'message' });
  }

  @ApiOperation({
    operationId: 'mergeTickets',
    summary: "Merge another ticket (sourceId) into this one: its thread joins this one's and it closes (If-Match: this ticket's version; 409 for a closed or merged one)",
  })
  @ApiZodResponse(200, mergeTickets.response)
  @ApiProblem(404, 'This ticket or the source is not one of the tenant’s.')
  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermission('tickets', 'update')
  merge(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(mergeTicketsBodySchema)) { sourceId }: MergeTicketsBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(mergeTickets, { id, sourceId, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
