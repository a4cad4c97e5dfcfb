import { Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, getEnrolment, listEnrolments, pauseEnrolment, resumeEnrolment, stopEnrolment } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import { ListEnrolmentsQuery, listEnrolmentsQuerySchema } from './sequences.dto';

/** Enrolments of contacts in sequences: read them (with each step's history), pause, resume and stop them. */
@Controller('api/v1/enrolments')
@VersionEtag()
export class EnrolmentsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listEnrolments', summary: 'List enrolments, newest first (by sequence, contact and status)' })
  @ApiZodResponse(200, listEnrolments.response)
  @Get()
  @RequirePermission('enrolments', 'read')
  list(@Query(new ZodValidationPipe(listEnrolmentsQuerySchema)) query: ListEnrolmentsQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listEnrolments, { cursor, limit, filter }, actor);
  }

  @ApiOperation({ operationId: 'getEnrolment', summary: "Get an enrolment with its steps' history (ETag: its version)" })
  @ApiZodResponse(200, getEnrolment.response)
  @Get(':id')
  @RequirePermission('enrolments', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getEnrolment, { id }, actor);
  }

  @ApiOperation({ operationId: 'pauseEnrolment', summary: 'Pause an active enrolment (409 from another status; If-Match: conditional)' })
  @ApiZodResponse(200, pauseEnrolment.response)
  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermission('enrolments', 'update')
  pause(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(pauseEnrolment, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({
    operationId: 'resumeEnrolment',
    summary: 'Resume a paused enrolment: a wait that passed meanwhile runs now (409 from another status; If-Match: conditional)',
  })
  @ApiZodResponse(200, resumeEnrolment.response)
  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermission('enrolments', 'update')
  resume(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(resumeEnrolment, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'stopEnrolment', summary: 'Stop an enrolment: it exits with reason stopped (409 once ended; If-Match: conditional)' })
  @ApiZodResponse(200, stopEnrolment.response)
  @Post(':id/stop')
  @HttpCode(200)
  @RequirePermission('enrolments', 'update')
  stop(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(stopEnrolment, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
