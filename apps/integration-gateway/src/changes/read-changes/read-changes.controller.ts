import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ZodValidationPipe } from '@crm/service-kit';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { ReadChangesQuery, readChangesQuerySchema } from './read-changes.dto';
import { ReadChangesService } from './read-changes.service';

@Controller('erp/v1/changes')
@ApiBearerAuth()
export class ReadChangesController {
  constructor(private readonly service: ReadChangesService) {}

  @ApiOperation({ operationId: 'readChanges', summary: 'CRM changes in order as CloudEvents, resumable from any cursor; `wait` long-polls for the next' })
  @Get()
  @RequireScope('changes:read')
  read(@Query(new ZodValidationPipe(readChangesQuerySchema)) query: ReadChangesQuery, @CurrentClient() client: ErpClient) {
    return this.service.read(client, query);
  }
}
