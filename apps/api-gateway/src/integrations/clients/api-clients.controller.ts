import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createApiClient, getApiClient, listApiClients, revokeApiClient, rotateApiClientSecret, updateApiClient } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import {
  CreateApiClientBody,
  createApiClientBodySchema,
  ListApiClientsQuery,
  listApiClientsQuerySchema,
  RotateApiClientSecretBody,
  rotateApiClientSecretBodySchema,
  UpdateApiClientBody,
  updateApiClientBodySchema,
} from './api-clients.dto';

/**
 * The tenant's API clients (machine credentials of ERP systems), for tenant admins. Each route is
 * one command or query to the integration gateway; a secret appears once, in the create or rotate reply.
 */
@Controller('api/v1/integrations/clients')
@VersionEtag()
export class ApiClientsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createApiClient', summary: 'Create an API client; the reply shows its secret, this once' })
  @ApiZodResponse(201, createApiClient.response)
  @Post()
  @RequirePermission('integrations', 'create')
  async create(
    @Body(new ZodValidationPipe(createApiClientBodySchema)) client: CreateApiClientBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createApiClient, { client }, actor, { bodyAt: 'client' });
    void reply.status(201).header('location', `/api/v1/integrations/clients/${created.id}`).header('cache-control', 'no-store');
    return created;
  }

  @ApiOperation({ operationId: 'listApiClients', summary: 'List the API clients, newest first (revoked ones too)' })
  @ApiZodResponse(200, listApiClients.response)
  @Get()
  @RequirePermission('integrations', 'read')
  list(@Query(new ZodValidationPipe(listApiClientsQuerySchema)) query: ListApiClientsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listApiClients, query, actor);
  }

  @ApiOperation({ operationId: 'getApiClient', summary: 'Get an API client (ETag: its version; secrets by hint only)' })
  @ApiZodResponse(200, getApiClient.response)
  @Get(':id')
  @RequirePermission('integrations', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getApiClient, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateApiClient', summary: 'Rename an API client or change its scopes (If-Match: conditional)' })
  @ApiZodResponse(200, updateApiClient.response)
  @Patch(':id')
  @RequirePermission('integrations', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateApiClientBodySchema)) patch: UpdateApiClientBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateApiClient, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({
    operationId: 'rotateApiClientSecret',
    summary: 'Issue a new secret (shown this once); the previous one keeps working for the grace period (If-Match: conditional)',
  })
  @ApiZodResponse(200, rotateApiClientSecret.response)
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermission('integrations', 'update')
  async rotateSecret(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(rotateApiClientSecretBodySchema)) body: RotateApiClientSecretBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('cache-control', 'no-store');
    return this.bus.call(rotateApiClientSecret, { id, graceSeconds: body?.graceSeconds, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'revokeApiClient', summary: 'Revoke an API client: its secrets and live tokens stop working (If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('integrations', 'delete')
  async revoke(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(revokeApiClient, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
