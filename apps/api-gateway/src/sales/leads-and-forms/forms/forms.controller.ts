import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createLeadForm, deleteLeadForm, getLeadForm, listLeadForms, updateLeadForm } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../../authz/current-actor.decorator';
import { RequirePermission } from '../../../authz/require-permission.decorator';
import { ServiceBus } from '../../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import { CreateFormBody, createFormBodySchema, ListFormsQuery, listFormsQuerySchema, UpdateFormBody, updateFormBodySchema } from './forms.dto';

/** The tenant's web-to-lead forms (the public submission route is FormSubmissionsController). */
@Controller('api/v1/forms')
@VersionEtag()
export class FormsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createForm', summary: 'Create a web-to-lead form (the service makes its random form key)' })
  @ApiZodResponse(201, createLeadForm.response)
  @Post()
  @RequirePermission('forms', 'create')
  async create(
    @Body(new ZodValidationPipe(createFormBodySchema)) form: CreateFormBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createLeadForm, { form }, actor, { bodyAt: 'form' });
    void reply.status(201).header('location', `/api/v1/forms/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listForms', summary: 'List web-to-lead forms by name' })
  @ApiZodResponse(200, listLeadForms.response)
  @Get()
  @RequirePermission('forms', 'read')
  list(@Query(new ZodValidationPipe(listFormsQuerySchema)) query: ListFormsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listLeadForms, query, actor);
  }

  @ApiOperation({ operationId: 'getForm', summary: 'Get a web-to-lead form (ETag: its version)' })
  @ApiZodResponse(200, getLeadForm.response)
  @Get(':id')
  @RequirePermission('forms', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getLeadForm, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateForm', summary: 'Update a web-to-lead form (If-Match: conditional)' })
  @ApiZodResponse(200, updateLeadForm.response)
  @Patch(':id')
  @RequirePermission('forms', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateFormBodySchema)) patch: UpdateFormBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateLeadForm, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteForm', summary: 'Delete a web-to-lead form (its key answers 404 from then on)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('forms', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteLeadForm, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
