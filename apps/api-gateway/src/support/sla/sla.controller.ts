import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  businessHoursInputSchema,
  createSlaPolicy,
  deleteSlaPolicy,
  getBusinessHours,
  listSlaPolicies,
  putBusinessHours,
  slaPolicyInputSchema,
} from '@crm/contracts';
import { ApiProblem, ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

type SlaPolicyBody = z.infer<typeof slaPolicyInputSchema>;
type BusinessHoursBody = z.infer<typeof businessHoursInputSchema>;

/** SLA policies (one per priority, targets in business minutes, escalation on breach), answered by the support-tickets service. */
@Controller('api/v1/sla-policies')
export class SlaPoliciesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createSlaPolicy', summary: 'Add the SLA policy of a priority (409: that priority has one)' })
  @ApiZodResponse(201, createSlaPolicy.response)
  @ApiProblem(409, 'That priority has a policy already.')
  @Post()
  @RequirePermission('sla-policies', 'create')
  async create(@Body(new ZodValidationPipe(slaPolicyInputSchema)) policy: SlaPolicyBody, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.bus.call(createSlaPolicy, { policy }, actor, { bodyAt: 'policy' });
    void reply.status(201).header('location', `/api/v1/sla-policies/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listSlaPolicies', summary: "List the tenant's SLA policies" })
  @ApiZodResponse(200, listSlaPolicies.response)
  @Get()
  @RequirePermission('sla-policies', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listSlaPolicies, {}, actor);
  }

  @ApiOperation({ operationId: 'deleteSlaPolicy', summary: 'Delete an SLA policy (timers already running keep their targets)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('sla-policies', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteSlaPolicy, { id }, actor);
  }
}

/** The tenant's business hours: the calendar SLA targets count in (time zone, weekly periods, public holidays, closed dates). */
@Controller('api/v1/business-hours')
@VersionEtag()
export class BusinessHoursController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getBusinessHours', summary: 'Get the business hours (around the clock in UTC until set; ETag: their version)' })
  @ApiZodResponse(200, getBusinessHours.response)
  @Get()
  @RequirePermission('business-hours', 'read')
  get(@CurrentActor() actor: Actor) {
    return this.bus.call(getBusinessHours, {}, actor);
  }

  @ApiOperation({ operationId: 'putBusinessHours', summary: 'Replace the business hours (If-Match: conditional)' })
  @ApiZodResponse(200, putBusinessHours.response)
  @Put()
  @RequirePermission('business-hours', 'update')
  put(@Body(new ZodValidationPipe(businessHoursInputSchema)) hours: BusinessHoursBody, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(putBusinessHours, { hours, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'hours' });
  }
}
