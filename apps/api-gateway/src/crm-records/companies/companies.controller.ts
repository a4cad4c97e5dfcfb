import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createCompany, deleteCompany, getCompany, listCompanies, restoreCompany, updateCompany } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import {
  CreateCompanyBody,
  createCompanyBodySchema,
  ListCompaniesQuery,
  listCompaniesQuerySchema,
  UpdateCompanyBody,
  updateCompanyBodySchema,
} from './companies.dto';
import { ApiZodResponse } from '@crm/service-kit';

/** Companies (organisations the tenant deals with): each route is one command or query to the contacts service. */
@Controller('api/v1/companies')
@VersionEtag()
export class CompaniesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createCompany', summary: 'Create a company' })
  @ApiZodResponse(201, createCompany.response)
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

  @ApiOperation({ operationId: 'listCompanies', summary: 'List companies' })
  @ApiZodResponse(200, listCompanies.response)
  @Get()
  @RequirePermission('companies', 'read')
  list(@Query(new ZodValidationPipe(listCompaniesQuerySchema)) query: ListCompaniesQuery, @CurrentActor() actor: Actor) {
    const { sort, cursor, limit, ...filter } = query;
    return this.bus.relay(listCompanies, { filter, sort: sort ?? 'name', cursor, limit }, actor);
  }

  @ApiOperation({ operationId: 'getCompany', summary: 'Get a company (ETag: its version)' })
  @ApiZodResponse(200, getCompany.response)
  @Get(':id')
  @RequirePermission('companies', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getCompany, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateCompany', summary: 'Update a company (If-Match: conditional)' })
  @ApiZodResponse(200, updateCompany.response)
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

  @ApiOperation({ operationId: 'deleteCompany', summary: 'Delete a company (restorable)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('companies', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteCompany, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'restoreCompany', summary: 'Restore a deleted company' })
  @ApiZodResponse(200, restoreCompany.response)
  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('companies', 'delete')
  restore(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(restoreCompany, { id }, actor);
  }
}
