import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, importCompanies, importContacts, importInteractions } from '@crm/contracts';
import { CurrentActor } from '../authz/current-actor.decorator';
import { RequirePermission } from '../authz/require-permission.decorator';
import { ServiceBus } from '../edge/service-bus';
import { ZodValidationPipe } from '@crm/service-kit';
import {
  ImportCompaniesBody,
  importCompaniesBodySchema,
  ImportContactsBody,
  importContactsBodySchema,
  ImportInteractionsBody,
  importInteractionsBodySchema,
} from './imports.dto';
import { InteractionAuthors } from './interaction-authors';
import { ApiZodResponse } from '@crm/service-kit';

/**
 * A batch of 1,000 is one transaction of a few thousand statements in the contacts service:
 * seconds, not the milliseconds of a single create, on a busy machine.
 */
const IMPORT_TIMEOUT_MS = 30_000;

/**
 * Bulk import (CSV / ERP loads): up to 1,000 records per request, all or nothing, each creating
 * what its single create would (same events). No duplicate detection. Answers the new ids in
 * request order, next to the caller's `externalId`s.
 */
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly bus: ServiceBus,
    private readonly authors: InteractionAuthors,
  ) {}

  @ApiOperation({ operationId: 'importCompanies', summary: 'Import companies in bulk' })
  @ApiZodResponse(201, importCompanies.response)
  @Post('companies')
  @HttpCode(201)
  @RequirePermission('companies', 'create')
  companies(@Body(new ZodValidationPipe(importCompaniesBodySchema)) body: ImportCompaniesBody, @CurrentActor() actor: Actor) {
    return this.bus.call(importCompanies, body, actor, { timeoutMs: IMPORT_TIMEOUT_MS });
  }

  @ApiOperation({ operationId: 'importContacts', summary: 'Import contacts in bulk' })
  @ApiZodResponse(201, importContacts.response)
  @Post('contacts')
  @HttpCode(201)
  @RequirePermission('contacts', 'create')
  contacts(@Body(new ZodValidationPipe(importContactsBodySchema)) body: ImportContactsBody, @CurrentActor() actor: Actor) {
    return this.bus.call(importContacts, body, actor, { timeoutMs: IMPORT_TIMEOUT_MS });
  }

  /**
   * Past calls, emails, meetings...: logged by the caller. Only an admin may name another author
   * (`loggedBy`), a user of the organisation; otherwise 400 naming `interactions.<i>.loggedBy`.
   */
  @ApiOperation({ operationId: 'importInteractions', summary: 'Import past interactions in bulk' })
  @Post('interactions')
  @HttpCode(201)
  @RequirePermission('interactions', 'create')
  async interactions(@Body(new ZodValidationPipe(importInteractionsBodySchema)) body: ImportInteractionsBody, @CurrentActor() actor: Actor) {
    await this.authors.check(actor, body);
    return this.bus.call(importInteractions, body, actor, { timeoutMs: IMPORT_TIMEOUT_MS });
  }
}
