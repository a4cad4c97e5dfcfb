import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, cancelCampaign, createCampaign, getCampaign, listCampaigns, previewCampaignSegment, updateCampaign } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import {
  CreateCampaignBody,
  createCampaignBodySchema,
  ListCampaignsQuery,
  listCampaignsQuerySchema,
  PreviewSegmentBody,
  previewSegmentBodySchema,
  UpdateCampaignBody,
  updateCampaignBodySchema,
} from './campaigns.dto';

/** Campaigns (a segment, a marketing template or a sequence, a schedule and a send rate): each route is one command or query to the sales-automation service. */
@Controller('api/v1/campaigns')
@VersionEtag()
export class CampaignsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'createCampaign',
    summary: 'Create a campaign: a draft, or scheduled with a time (400 naming the field: a segment matching no contact, a transactional template)',
  })
  @ApiZodResponse(201, createCampaign.response)
  @Post()
  @RequirePermission('campaigns', 'create')
  async create(
    @Body(new ZodValidationPipe(createCampaignBodySchema)) campaign: CreateCampaignBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createCampaign, { campaign }, actor, { bodyAt: 'campaign' });
    void reply.status(201).header('location', `/api/v1/campaigns/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'previewCampaignSegment', summary: 'How many contacts a segment matches now, with a sample of them' })
  @ApiZodResponse(200, previewCampaignSegment.response)
  @Post('segment-preview')
  @HttpCode(200)
  @RequirePermission('campaigns', 'read')
  preview(@Body(new ZodValidationPipe(previewSegmentBodySchema)) body: PreviewSegmentBody, @CurrentActor() actor: Actor) {
    return this.bus.call(previewCampaignSegment, body, actor);
  }

  @ApiOperation({ operationId: 'listCampaigns', summary: 'List campaigns (oldest first), optionally of one status, with their counts' })
  @ApiZodResponse(200, listCampaigns.response)
  @Get()
  @RequirePermission('campaigns', 'read')
  list(@Query(new ZodValidationPipe(listCampaignsQuerySchema)) query: ListCampaignsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listCampaigns, query, actor);
  }

  @ApiOperation({ operationId: 'getCampaign', summary: 'Get a campaign with what became of its recipients (ETag: its version)' })
  @ApiZodResponse(200, getCampaign.response)
  @Get(':id')
  @RequirePermission('campaigns', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getCampaign, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateCampaign', summary: 'Change a draft or scheduled campaign (If-Match: conditional; 409 once sending)' })
  @ApiZodResponse(200, updateCampaign.response)
  @Patch(':id')
  @RequirePermission('campaigns', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateCampaignBodySchema)) patch: UpdateCampaignBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateCampaign, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({
    operationId: 'cancelCampaign',
    summary: 'Cancel a campaign that has not finished: recipients not reached yet get nothing (If-Match: conditional)',
  })
  @ApiZodResponse(200, cancelCampaign.response)
  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('campaigns', 'update')
  cancel(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(cancelCampaign, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
