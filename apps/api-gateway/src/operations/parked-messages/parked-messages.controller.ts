import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodBody, ApiZodParams, ApiZodQuery, ApiZodResponse } from '@crm/service-kit';
import {
  ListParkedQuery,
  listParkedQuerySchema,
  parkedMessageDetailSchema,
  parkedMessagePageSchema,
  ParkedMessageParams,
  parkedMessageParamsSchema,
  RedriveParkedDto,
  redriveParkedSchema,
  redriveResultSchema,
  ServiceParams,
  serviceParamsSchema,
} from './parked-messages.dto';
import { ParkedMessagesService } from './parked-messages.service';

/** A tenant admin's view of a service's parked messages: its own organisation's only. */
@Controller('api/v1/operations/services/:service/parked')
@ApiZodParams(serviceParamsSchema)
export class ParkedMessagesController {
  constructor(private readonly parkedMessages: ParkedMessagesService) {}

  /** Reads without removing: listing never changes the queue. Envelope and error only, no body. */
  @ApiOperation({ operationId: 'listParkedMessages', summary: "List your organisation's parked messages of a service" })
  @Get()
  @RequirePermission('operations', 'read')
  @ApiZodQuery(listParkedQuerySchema)
  @ApiZodResponse(200, parkedMessagePageSchema)
  list(
    @CurrentActor() actor: Actor,
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Query(new ZodValidationPipe(listParkedQuerySchema)) { limit }: ListParkedQuery,
  ) {
    return this.parkedMessages.list({ tenantId: actor.tenantId }, service, limit);
  }

  /** One of the organisation's parked messages with its body. */
  @ApiOperation({ operationId: 'getParkedMessage', summary: 'Get one of your parked messages' })
  @Get(':id')
  @RequirePermission('operations', 'read')
  @ApiZodParams(parkedMessageParamsSchema)
  @ApiZodResponse(200, parkedMessageDetailSchema)
  get(@CurrentActor() actor: Actor, @Param(new ZodValidationPipe(parkedMessageParamsSchema)) { service, id }: ParkedMessageParams) {
    return this.parkedMessages.get({ tenantId: actor.tenantId }, service, id);
  }

  /** Sends the organisation's parked messages back to the service's work queue with a fresh retry budget: those named, or all. */
  @ApiOperation({ operationId: 'redriveParkedMessages', summary: 'Redrive your parked messages' })
  @Post('redrive')
  @HttpCode(200)
  @RequirePermission('operations', 'manage')
  @ApiZodBody(redriveParkedSchema)
  @ApiZodResponse(200, redriveResultSchema)
  redrive(
    @CurrentActor() actor: Actor,
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Body(new ZodValidationPipe(redriveParkedSchema)) { ids }: RedriveParkedDto,
  ) {
    return this.parkedMessages.redrive({ tenantId: actor.tenantId }, service, ids);
  }
}
