import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, convertLead, createLead, deleteLead, disqualifyLead, getLead, listLeads, updateLead } from '@crm/contracts';
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
  ConvertLeadBody,
  convertLeadBodySchema,
  CreateLeadBody,
  createLeadBodySchema,
  DisqualifyLeadBody,
  disqualifyLeadBodySchema,
  ListLeadsQuery,
  listLeadsQuerySchema,
  UpdateLeadBody,
  updateLeadBodySchema,
} from './leads.dto';

/** Leads: each route is one command or query to the sales-automation service. */
@Controller('api/v1/leads')
@VersionEtag()
export class LeadsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createLead', summary: 'Create a lead' })
  @ApiZodResponse(201, createLead.response)
  @Post()
  @RequirePermission('leads', 'create')
  async create(
    @Body(new ZodValidationPipe(createLeadBodySchema)) lead: CreateLeadBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createLead, { lead }, actor, { bodyAt: 'lead' });
    void reply.status(201).header('location', `/api/v1/leads/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listLeads', summary: 'List leads, newest first (filters: status, ownerId, source, q)' })
  @ApiZodResponse(200, listLeads.response)
  @Get()
  @RequirePermission('leads', 'read')
  list(@Query(new ZodValidationPipe(listLeadsQuerySchema)) query: ListLeadsQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listLeads, { filter, cursor, limit }, actor, { bodyAt: 'filter' });
  }

  @ApiOperation({ operationId: 'getLead', summary: 'Get a lead (ETag: its version)' })
  @ApiZodResponse(200, getLead.response)
  @Get(':id')
  @RequirePermission('leads', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getLead, { id }, actor);
  }

  /** Patch semantics (null clears); `If-Match: "<version>"` makes it conditional (412 when stale); 409 once converted. */
  @ApiOperation({ operationId: 'updateLead', summary: 'Update a lead (If-Match: conditional)' })
  @ApiZodResponse(200, updateLead.response)
  @Patch(':id')
  @RequirePermission('leads', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateLeadBodySchema)) patch: UpdateLeadBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateLead, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteLead', summary: 'Delete a lead' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('leads', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteLead, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'disqualifyLead', summary: 'Disqualify a lead, with the reason (If-Match: conditional)' })
  @ApiZodResponse(200, disqualifyLead.response)
  @Post(':id/disqualify')
  @HttpCode(200)
  @RequirePermission('leads', 'update')
  disqualify(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(disqualifyLeadBodySchema)) body: DisqualifyLeadBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(disqualifyLead, { id, reason: body.reason, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  /**
   * The lead becomes a contact (an existing one when the duplicate check finds it), optionally a
   * company and a deal. Safe to retry: it goes on where a failed attempt stopped, and a converted
   * lead answers what it became.
   */
  @ApiOperation({ operationId: 'convertLead', summary: 'Convert a lead into a contact, optionally a company and a deal' })
  @ApiZodResponse(200, convertLead.response)
  @Post(':id/convert')
  @HttpCode(200)
  @RequirePermission('leads', 'update')
  convert(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(convertLeadBodySchema)) body: ConvertLeadBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(convertLead, { id, ...body, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
