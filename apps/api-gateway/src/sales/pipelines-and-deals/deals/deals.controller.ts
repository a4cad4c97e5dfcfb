import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createDeal, dealHistory, deleteDeal, getDeal, listDeals, loseDeal, moveDeal, updateDeal, winDeal } from '@crm/contracts';
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
  CreateDealBody,
  createDealBodySchema,
  ListDealsQuery,
  listDealsQuerySchema,
  LoseDealBody,
  loseDealBodySchema,
  MoveDealBody,
  moveDealBodySchema,
  UpdateDealBody,
  updateDealBodySchema,
} from './deals.dto';

/** Deals: the board, drag and drop through stages, won and lost. Each route is one command or query to the sales-automation service. */
@Controller('api/v1/deals')
@VersionEtag()
export class DealsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createDeal', summary: "Create a deal (default: last in the default pipeline's first stage)" })
  @ApiZodResponse(201, createDeal.response)
  @Post()
  @RequirePermission('deals', 'create')
  async create(
    @Body(new ZodValidationPipe(createDealBodySchema)) deal: CreateDealBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createDeal, { deal }, actor, { bodyAt: 'deal' });
    void reply.status(201).header('location', `/api/v1/deals/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listDeals', summary: 'List deals: the board (sort=position, one stage), by owner, expected close or amount, or search' })
  @ApiZodResponse(200, listDeals.response)
  @Get()
  @RequirePermission('deals', 'read')
  list(@Query(new ZodValidationPipe(listDealsQuerySchema)) query: ListDealsQuery, @CurrentActor() actor: Actor) {
    const { sort, cursor, limit, ...filter } = query;
    return this.bus.relay(listDeals, { filter, sort: sort ?? '-updatedAt', cursor, limit }, actor, { bodyAt: 'filter' });
  }

  @ApiOperation({ operationId: 'getDeal', summary: 'Get a deal (ETag: its version)' })
  @ApiZodResponse(200, getDeal.response)
  @Get(':id')
  @RequirePermission('deals', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getDeal, { id }, actor);
  }

  @ApiOperation({ operationId: 'getDealHistory', summary: "A deal's stage visits, with the time spent in each" })
  @ApiZodResponse(200, dealHistory.response)
  @Get(':id/history')
  @RequirePermission('deals', 'read')
  history(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(dealHistory, { id }, actor);
  }

  /** Patch semantics (lines replace); the stage changes by move, the status by won and lost. */
  @ApiOperation({ operationId: 'updateDeal', summary: 'Update a deal (If-Match: conditional)' })
  @ApiZodResponse(200, updateDeal.response)
  @Patch(':id')
  @RequirePermission('deals', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateDealBodySchema)) patch: UpdateDealBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateDeal, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'moveDeal', summary: 'Move a deal to a stage and a place on the board (If-Match: conditional)' })
  @ApiZodResponse(200, moveDeal.response)
  @Post(':id/move')
  @HttpCode(200)
  @RequirePermission('deals', 'update')
  move(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(moveDealBodySchema)) body: MoveDealBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(moveDeal, { id, ...body, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'winDeal', summary: 'Mark an open deal won (If-Match: conditional)' })
  @ApiZodResponse(200, winDeal.response)
  @Post(':id/won')
  @HttpCode(200)
  @RequirePermission('deals', 'update')
  win(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(winDeal, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'loseDeal', summary: 'Mark an open deal lost, with the reason (If-Match: conditional)' })
  @ApiZodResponse(200, loseDeal.response)
  @Post(':id/lost')
  @HttpCode(200)
  @RequirePermission('deals', 'update')
  lose(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(loseDealBodySchema)) body: LoseDealBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(loseDeal, { id, reason: body.reason, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'deleteDeal', summary: 'Delete a deal (If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('deals', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteDeal, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
