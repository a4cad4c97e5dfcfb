import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { Actor, defineCustomField, deleteCustomField, listCustomFields, updateCustomField } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '../../http/uuid-param.pipe';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { versionFromIfMatch } from '../../http/versioning';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import {
  DefineCustomFieldBody,
  defineCustomFieldBodySchema,
  ListCustomFieldsQuery,
  listCustomFieldsQuerySchema,
  UpdateCustomFieldBody,
  updateCustomFieldBodySchema,
} from './custom-fields.dto';

/** The tenant's own fields on contacts and companies; values are checked against them on every write. */
@Controller('api/v1/custom-fields')
@UseInterceptors(VersionEtagInterceptor)
export class CustomFieldsController {
  constructor(private readonly bus: ServiceBus) {}

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

  @Get()
  @RequirePermission('custom-fields', 'read')
  list(@Query(new ZodValidationPipe(listCustomFieldsQuerySchema)) query: ListCustomFieldsQuery, @CurrentActor() actor: Actor) {
    return this.bus.call(listCustomFields, query, actor);
  }

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

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('custom-fields', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteCustomField, { id }, actor);
  }
}
