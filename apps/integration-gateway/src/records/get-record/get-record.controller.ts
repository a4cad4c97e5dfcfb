import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { recordKey } from '../erp-objects';
import { EXTERNAL_ID_PARAM, OBJECT_PARAM, RECORD_PATH, RecordParams, SYSTEM_PARAM } from '../record-params';
import { GetRecordService } from './get-record.service';

@ApiTags('records')
@Controller('erp/v1')
export class GetRecordController {
  constructor(private readonly service: GetRecordService) {}

  @ApiOperation({ operationId: 'getRecord', summary: 'Get a contact or company by its external id (scope: contacts:read)' })
  @ApiParam(OBJECT_PARAM)
  @ApiParam(SYSTEM_PARAM)
  @ApiParam(EXTERNAL_ID_PARAM)
  @Get(RECORD_PATH)
  @RequireScope('by-object')
  get(@Param() params: RecordParams, @CurrentClient() client: ErpClient) {
    return this.service.get(client, recordKey(params));
  }
}
