import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createPipeline, deletePipeline, getPipeline, listPipelines, updatePipeline } from '@crm/contracts';
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
  CreatePipelineBody,
  createPipelineBodySchema,
  ListPipelinesQuery,
  listPipelinesQuerySchema,
  UpdatePipelineBody,
  updatePipelineBodySchema,
} from './pipelines.dto';

/** Sales pipelines and their ordered stages: each route is one command or query to the sales-automation service. */
@Controller('api/v1/pipelines')
@VersionEtag()
export class PipelinesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createPipeline', summary: "Create a pipeline with its stages (the organisation's first is the default)" })
  @ApiZodResponse(201, createPipeline.response)
  @Post()
  @RequirePermission('pipelines', 'create')
  async create(
    @Body(new ZodValidationPipe(createPipelineBodySchema)) pipeline: CreatePipelineBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createPipeline, { pipeline }, actor, { bodyAt: 'pipeline' });
    void reply.status(201).header('location', `/api/v1/pipelines/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listPipelines', summary: 'List pipelines (the default first)' })
  @ApiZodResponse(200, listPipelines.response)
  @Get()
  @RequirePermission('pipelines', 'read')
  list(@Query(new ZodValidationPipe(listPipelinesQuerySchema)) query: ListPipelinesQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listPipelines, query, actor);
  }

  @ApiOperation({ operationId: 'getPipeline', summary: 'Get a pipeline with its stages (ETag: its version)' })
  @ApiZodResponse(200, getPipeline.response)
  @Get(':id')
  @RequirePermission('pipelines', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getPipeline, { id }, actor);
  }

  /** Removing a stage that still holds deals answers 409 naming it: move its deals first. */
  @ApiOperation({ operationId: 'updatePipeline', summary: 'Rename a pipeline; add, rename, reorder or remove its stages (If-Match: conditional)' })
  @ApiZodResponse(200, updatePipeline.response)
  @Patch(':id')
  @RequirePermission('pipelines', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updatePipelineBodySchema)) patch: UpdatePipelineBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updatePipeline, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deletePipeline', summary: 'Delete a pipeline without open deals (409 otherwise)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('pipelines', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deletePipeline, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
