import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  createEmailTemplate,
  deleteEmailTemplate,
  getEmailTemplate,
  listEmailTemplates,
  previewEmailTemplate,
  updateEmailTemplate,
} from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import {
  CreateEmailTemplateBody,
  createEmailTemplateBodySchema,
  ListEmailTemplatesQuery,
  listEmailTemplatesQuerySchema,
  PreviewEmailTemplateBody,
  previewEmailTemplateBodySchema,
  UpdateEmailTemplateBody,
  updateEmailTemplateBodySchema,
} from './email.dto';

/** Email templates (Liquid; transactional or marketing): each route is one command or query to the sales-automation service. */
@Controller('api/v1/email-templates')
@VersionEtag()
export class EmailTemplatesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createEmailTemplate', summary: 'Create an email template (a Liquid syntax error answers 400 naming the field)' })
  @ApiZodResponse(201, createEmailTemplate.response)
  @Post()
  @RequirePermission('email-templates', 'create')
  async create(
    @Body(new ZodValidationPipe(createEmailTemplateBodySchema)) template: CreateEmailTemplateBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createEmailTemplate, { template }, actor, { bodyAt: 'template' });
    void reply.status(201).header('location', `/api/v1/email-templates/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listEmailTemplates', summary: 'List email templates (oldest first), optionally by purpose' })
  @ApiZodResponse(200, listEmailTemplates.response)
  @Get()
  @RequirePermission('email-templates', 'read')
  list(@Query(new ZodValidationPipe(listEmailTemplatesQuerySchema)) query: ListEmailTemplatesQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listEmailTemplates, query, actor);
  }

  @ApiOperation({ operationId: 'getEmailTemplate', summary: 'Get an email template (ETag: its version)' })
  @ApiZodResponse(200, getEmailTemplate.response)
  @Get(':id')
  @RequirePermission('email-templates', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getEmailTemplate, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateEmailTemplate', summary: 'Update an email template (If-Match: conditional)' })
  @ApiZodResponse(200, updateEmailTemplate.response)
  @Patch(':id')
  @RequirePermission('email-templates', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateEmailTemplateBodySchema)) patch: UpdateEmailTemplateBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateEmailTemplate, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteEmailTemplate', summary: 'Delete an email template (If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('email-templates', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteEmailTemplate, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'previewEmailTemplate', summary: 'Render a template for a contact (and a deal or order), sending nothing' })
  @ApiZodResponse(200, previewEmailTemplate.response)
  @Post(':id/preview')
  @HttpCode(200)
  @RequirePermission('email-templates', 'read')
  preview(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(previewEmailTemplateBodySchema)) body: PreviewEmailTemplateBody,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(previewEmailTemplate, { id, ...body }, actor);
  }
}
