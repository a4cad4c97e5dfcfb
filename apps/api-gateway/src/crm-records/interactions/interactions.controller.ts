import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, listInteractions, logInteraction } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ListInteractionsQuery, listInteractionsQuerySchema, LogInteractionBody, logInteractionBodySchema } from './interactions.dto';
import { ApiZodResponse } from '@crm/service-kit';

/** A contact's timeline: calls, emails, meetings, chats and notes in one place, newest first. */
@Controller('api/v1/contacts/:contactId/interactions')
export class InteractionsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'logInteraction', summary: "Log an interaction on a contact's timeline" })
  @ApiZodResponse(201, logInteraction.response)
  @Post()
  @RequirePermission('interactions', 'create')
  async log(
    @Param('contactId', new UuidParamPipe('contactId')) contactId: string,
    @Body(new ZodValidationPipe(logInteractionBodySchema)) interaction: LogInteractionBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const logged = await this.bus.call(logInteraction, { contactId, interaction }, actor, { bodyAt: 'interaction' });
    void reply.status(201);
    return logged;
  }

  @ApiOperation({ operationId: 'listInteractions', summary: "A contact's timeline, newest first" })
  @ApiZodResponse(200, listInteractions.response)
  @Get()
  @RequirePermission('interactions', 'read')
  list(
    @Param('contactId', new UuidParamPipe('contactId')) contactId: string,
    @Query(new ZodValidationPipe(listInteractionsQuerySchema)) query: ListInteractionsQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.relay(listInteractions, { contactId, ...query }, actor);
  }
}
