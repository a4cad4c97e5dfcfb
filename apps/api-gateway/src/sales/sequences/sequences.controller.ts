import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createSequence, deleteSequence, enrolContact, getSequence, listEnrolments, listSequences, updateSequence } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import {
  CreateSequenceBody,
  createSequenceBodySchema,
  EnrolContactBody,
  enrolContactBodySchema,
  PageQuery,
  pageQuerySchema,
  SequenceEnrolmentsQuery,
  sequenceEnrolmentsQuerySchema,
  UpdateSequenceBody,
  updateSequenceBodySchema,
} from './sequences.dto';

/** Sequences (ordered steps with waits; versioned) and enrolling contacts in them: each route is one command or query to the sales-automation service. */
@Controller('api/v1/sequences')
@VersionEtag()
export class SequencesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createSequence', summary: 'Create a sequence (400 naming the field: a step without a duration, an unknown exit condition)' })
  @ApiZodResponse(201, createSequence.response)
  @Post()
  @RequirePermission('sequences', 'create')
  async create(
    @Body(new ZodValidationPipe(createSequenceBodySchema)) sequence: CreateSequenceBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createSequence, { sequence }, actor, { bodyAt: 'sequence' });
    void reply.status(201).header('location', `/api/v1/sequences/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listSequences', summary: 'List sequences (oldest first)' })
  @ApiZodResponse(200, listSequences.response)
  @Get()
  @RequirePermission('sequences', 'read')
  list(@Query(new ZodValidationPipe(pageQuerySchema)) query: PageQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listSequences, query, actor);
  }

  @ApiOperation({ operationId: 'getSequence', summary: 'Get a sequence (ETag: its version)' })
  @ApiZodResponse(200, getSequence.response)
  @Get(':id')
  @RequirePermission('sequences', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getSequence, { id }, actor);
  }

  /** `If-Match: "<version>"` makes it conditional (412 when stale). */
  @ApiOperation({
    operationId: 'updateSequence',
    summary: 'Update a sequence (If-Match: conditional; changed steps or exit conditions make a new definition version, running enrolments keep theirs)',
  })
  @ApiZodResponse(200, updateSequence.response)
  @Patch(':id')
  @RequirePermission('sequences', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateSequenceBodySchema)) patch: UpdateSequenceBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateSequence, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteSequence', summary: 'Delete a sequence: its active and paused enrolments exit (If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('sequences', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteSequence, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  /** 409 (ALREADY_ENROLLED) while the contact has an active or paused enrolment in this sequence. */
  @ApiOperation({ operationId: 'enrolContact', summary: 'Enrol a contact in the sequence (409 while it already has an active or paused enrolment in it)' })
  @ApiZodResponse(201, enrolContact.response)
  @Post(':id/enrolments')
  @RequirePermission('enrolments', 'create')
  async enrol(
    @Param('id', new UuidParamPipe()) sequenceId: string,
    @Body(new ZodValidationPipe(enrolContactBodySchema)) body: EnrolContactBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const enrolment = await this.bus.call(enrolContact, { sequenceId, ...body }, actor);
    void reply.status(201).header('location', `/api/v1/enrolments/${enrolment.id}`);
    return enrolment;
  }

  @ApiOperation({ operationId: 'listSequenceEnrolments', summary: "A sequence's enrolments, newest first (optionally of one status)" })
  @ApiZodResponse(200, listEnrolments.response)
  @Get(':id/enrolments')
  @RequirePermission('enrolments', 'read')
  enrolments(
    @Param('id', new UuidParamPipe()) sequenceId: string,
    @Query(new ZodValidationPipe(sequenceEnrolmentsQuerySchema)) query: SequenceEnrolmentsQuery,
    @CurrentActor() actor: Actor,
  ) {
    const { cursor, limit, status } = query;
    return this.bus.relay(listEnrolments, { cursor, limit, filter: { sequenceId, status } }, actor);
  }
}
