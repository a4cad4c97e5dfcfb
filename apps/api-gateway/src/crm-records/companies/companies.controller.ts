import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { Actor, createCompany, deleteCompany, getCompany, listCompanies, restoreCompany, updateCompany } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '../../http/uuid-param.pipe';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { versionFromIfMatch } from '../../http/versioning';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import {
  CreateCompanyBody,
  createCompanyBodySchema,
  ListCompaniesQuery,
  listCompaniesQuerySchema,
  UpdateCompanyBody,
  updateCompanyBodySchema,
} from './companies.dto';

/** Companies (organisations the tenant deals with): each route is one command or query to the contacts service. */
@Controller('api/v1/companies')
@UseInterceptors(VersionEtagInterceptor)
export class CompaniesController {
  constructor(private readonly bus: ServiceBus) {}

  @Post()
  @RequirePermission('companies', 'create')
  async create(
    @Body(new ZodValidationPipe(createCompanyBodySchema)) company: CreateCompanyBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createCompany, { company }, actor, { bodyAt: 'company' });
    void reply.status(201).header('location', `/api/v1/companies/${created.id}`);
    return created;
  }

  @Get()
  @RequirePermission('companies', 'read')
  list(@Query(new ZodValidationPipe(listCompaniesQuerySchema)) query: ListCompaniesQuery, @CurrentActor() actor: Actor) {
    const { sort, cursor, limit, ...filter } = query;
    return this.bus.call(listCompanies, { filter, sort: sort ?? 'name', cursor, limit }, actor);
  }

  @Get(':id')
  @RequirePermission('companies', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(getCompany, { id }, actor);
  }

  @Patch(':id')
  @RequirePermission('companies', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateCompanyBodySchema)) patch: UpdateCompanyBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateCompany, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('companies', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteCompany, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('companies', 'delete')
  restore(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(restoreCompany, { id }, actor);
  }
}
