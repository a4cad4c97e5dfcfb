import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, defineCustomField, deleteCustomField, listCustomFields, updateCustomField } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import {
  DefineCustomFieldBody,
  defineCustomFieldBodySchema,
  ListCustomFieldsQuery,
  listCustomFieldsQuerySchema,
  UpdateCustomFieldBody,
  updateCustomFieldBodySchema,
} from './custom-fields.dto';
import { ApiZodResponse } from '@crm/service-kit';

/** The tenant's own fields on contacts and companies; values are checked against them on every write. */
@Controller('api/v1/custom-fields')
@VersionEtag()
export class CustomFieldsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'defineCustomField', summary: 'Define a custom field' })
  @ApiZodResponse(201, defineCustomField.response)
  @Post()
  @RequirePermission('custom-fields', 'create')
  async define(
    @Body(new ZodValidationPipe(defineCustomFieldBodySchema)) definition: DefineCustomFieldBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(defineCustomField, { definition }, actor, { bodyAt: 'definition' });
    void reply.status(201);
    return created;
  }

  @ApiOperation({ operationId: 'listCustomFields', summary: 'List custom field definitions' })
  @ApiZodResponse(200, listCustomFields.response)
  @Get()
  @RequirePermission('custom-fields', 'read')
  list(@Query(new ZodValidationPipe(listCustomFieldsQuerySchema)) query: ListCustomFieldsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listCustomFields, query, actor);
  }

  @ApiOperation({ operationId: 'updateCustomField', summary: 'Update a custom field definition' })
  @ApiZodResponse(200, updateCustomField.response)
  @Patch(':id')
  @RequirePermission('custom-fields', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateCustomFieldBodySchema)) patch: UpdateCustomFieldBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateCustomField, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteCustomField', summary: 'Delete a custom field definition' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('custom-fields', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteCustomField, { id }, actor);
  }
}
