import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { recordBodySchema, recordKey } from '../erp-objects';
import { EXTERNAL_ID_PARAM, OBJECT_PARAM, RECORD_PATH, RecordParams, SYSTEM_PARAM } from '../record-params';
import { UpsertRecordService } from './upsert-record.service';

/** The scope depends on the object (`contacts:write` for a contact): declared 'by-object', checked by the service. */
@ApiTags('records')
@Controller('erp/v1')
export class UpsertRecordController {
  constructor(private readonly service: UpsertRecordService) {}

  @ApiOperation({
    operationId: 'upsertRecord',
    summary: 'Create or update a record by its external id: 201 created, 200 updated or unchanged (scope: <object>:write)',
    description:
      "The body is the record's fields (the CRM API's names); absent fields are kept. Fields the CRM owns (field ownership) are " +
      'written on create only; a differing incoming value is reported in `conflicts` and the sync log. An order names its customer ' +
      'by `contactExternalId` (same system).',
  })
  @ApiParam(OBJECT_PARAM)
  @ApiParam(SYSTEM_PARAM)
  @ApiParam(EXTERNAL_ID_PARAM)
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @Put(RECORD_PATH)
  @RequireScope('by-object')
  async upsert(
    @Param() params: RecordParams,
    @Body(new ZodValidationPipe(recordBodySchema)) record: Record<string, unknown>,
    @CurrentClient() client: ErpClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.service.upsert(client, recordKey(params), record);
    void reply.status(result.outcome === 'created' ? 201 : 200);
    return result;
  }
}
