import { Controller, Delete, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { recordKey } from '../erp-objects';
import { EXTERNAL_ID_PARAM, OBJECT_PARAM, RECORD_PATH, RecordParams, SYSTEM_PARAM } from '../record-params';
import { DeleteRecordService } from './delete-record.service';

@ApiTags('records')
@Controller('erp/v1')
export class DeleteRecordController {
  constructor(private readonly service: DeleteRecordService) {}

  @ApiOperation({ operationId: 'deleteRecord', summary: 'Delete a contact or company by its external id (scope: <object>:write)' })
  @ApiParam(OBJECT_PARAM)
  @ApiParam(SYSTEM_PARAM)
  @ApiParam(EXTERNAL_ID_PARAM)
  @Delete(RECORD_PATH)
  @RequireScope('by-object')
  remove(@Param() params: RecordParams, @CurrentClient() client: ErpClient) {
    return this.service.remove(client, recordKey(params));
  }
}
