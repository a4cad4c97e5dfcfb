import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createContact, deleteContact, getContact, listContacts, mergeContacts, restoreContact, updateContact } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import {
  CreateContactBody,
  createContactBodySchema,
  ListContactsQuery,
  listContactsQuerySchema,
  MergeContactBody,
  mergeContactBodySchema,
  UpdateContactBody,
  updateContactBodySchema,
} from './contacts.dto';
import { ApiZodResponse } from '@crm/service-kit';

/** Contacts (people): each route is one command or query to the contacts service. */
@Controller('api/v1/contacts')
@VersionEtag()
export class ContactsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createContact', summary: 'Create a contact' })
  @ApiZodResponse(201, createContact.response)
  @Post()
  @RequirePermission('contacts', 'create')
  async create(
    @Body(new ZodValidationPipe(createContactBodySchema)) body: CreateContactBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { allowDuplicates, ...contact } = body;
    const created = await this.bus.call(createContact, { contact, allowDuplicates: allowDuplicates ?? false }, actor, { bodyAt: 'contact' });
    void reply.status(201).header('location', `/api/v1/contacts/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listContacts', summary: 'List or search contacts' })
  @ApiZodResponse(200, listContacts.response)
  @Get()
  @RequirePermission('contacts', 'read')
  list(@Query(new ZodValidationPipe(listContactsQuerySchema)) query: ListContactsQuery, @CurrentActor() actor: Actor) {
    const { sort, cursor, limit, ...filter } = query;
    return this.bus.relay(listContacts, { filter, sort: sort ?? '-updatedAt', cursor, limit }, actor);
  }

  @ApiOperation({ operationId: 'getContact', summary: 'Get a contact (ETag: its version)' })
  @ApiZodResponse(200, getContact.response)
  @Get(':id')
  @RequirePermission('contacts', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getContact, { id }, actor);
  }

  /** Patch semantics (arrays replace); `If-Match: "<version>"` makes it conditional (412 when stale). */
  @ApiOperation({ operationId: 'updateContact', summary: 'Update a contact (If-Match: conditional)' })
  @ApiZodResponse(200, updateContact.response)
  @Patch(':id')
  @RequirePermission('contacts', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateContactBodySchema)) patch: UpdateContactBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateContact, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  /** Soft delete: restorable for 30 days. */
  @ApiOperation({ operationId: 'deleteContact', summary: 'Delete a contact (restorable for 30 days)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('contacts', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteContact, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'restoreContact', summary: 'Restore a deleted contact' })
  @ApiZodResponse(200, restoreContact.response)
  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('contacts', 'delete')
  restore(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(restoreContact, { id }, actor);
  }

  /** The contact in the path survives and absorbs `mergedId` (details and whole timeline). */
  @ApiOperation({ operationId: 'mergeContacts', summary: 'Merge a duplicate into this contact' })
  @ApiZodResponse(200, mergeContacts.response)
  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermission('contacts', 'update')
  merge(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(mergeContactBodySchema)) body: MergeContactBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(mergeContacts, { id, mergedId: body.mergedId, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
