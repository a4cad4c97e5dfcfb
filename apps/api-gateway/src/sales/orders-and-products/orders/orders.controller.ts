import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, changeOrderStatus, getOrder, listOrders, recordOrder } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../../authz/current-actor.decorator';
import { RequirePermission } from '../../../authz/require-permission.decorator';
import { ServiceBus } from '../../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import {
  ChangeOrderStatusBody,
  changeOrderStatusBodySchema,
  ListOrdersQuery,
  listOrdersQuerySchema,
  RecordOrderBody,
  recordOrderBodySchema,
} from './orders.dto';

/** Purchase history: orders recorded by the service with computed totals, listed newest first, moved through their statuses. */
@Controller('api/v1/orders')
@VersionEtag()
export class OrdersController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'recordOrder',
    summary: 'Record an order (totals computed; lines default to their product; an external order recorded again answers 409 naming `externalId`)',
  })
  @ApiZodResponse(201, recordOrder.response)
  @Post()
  @RequirePermission('orders', 'create')
  async record(
    @Body(new ZodValidationPipe(recordOrderBodySchema)) order: RecordOrderBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const recorded = await this.bus.call(recordOrder, { order }, actor, { bodyAt: 'order' });
    void reply.status(201).header('location', `/api/v1/orders/${recorded.id}`);
    return recorded;
  }

  @ApiOperation({ operationId: 'listOrders', summary: 'List orders newest first (filter: contact, company, status, purchase dates)' })
  @ApiZodResponse(200, listOrders.response)
  @Get()
  @RequirePermission('orders', 'read')
  list(@Query(new ZodValidationPipe(listOrdersQuerySchema)) query: ListOrdersQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listOrders, { filter, cursor, limit }, actor);
  }

  @ApiOperation({ operationId: 'getOrder', summary: 'Get an order with its lines (ETag: its version)' })
  @ApiZodResponse(200, getOrder.response)
  @Get(':id')
  @RequirePermission('orders', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getOrder, { id }, actor);
  }

  @ApiOperation({
    operationId: 'changeOrderStatus',
    summary:
      'Move an order to a status: placed→paid→shipped, cancelled before shipped, refunded once paid (409 INVALID_STATUS_TRANSITION otherwise; If-Match: conditional)',
  })
  @ApiZodResponse(200, changeOrderStatus.response)
  @Post(':id/status')
  @HttpCode(200)
  @RequirePermission('orders', 'update')
  changeStatus(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(changeOrderStatusBodySchema)) body: ChangeOrderStatusBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(changeOrderStatus, { id, status: body.status, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
