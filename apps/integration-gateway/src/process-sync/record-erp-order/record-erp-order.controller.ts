import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { RecordErpOrderBody, recordErpOrderBodySchema } from './record-erp-order.dto';
import { RecordErpOrderService } from './record-erp-order.service';

/** The ERP acknowledges a won deal's sales order with its own order number. */
@Controller('erp/v1/deals')
@ApiBearerAuth()
export class RecordErpOrderController {
  constructor(private readonly service: RecordErpOrderService) {}

  @ApiOperation({ operationId: 'recordDealErpOrder', summary: "Store the ERP's order number on a won deal (the same number again changes nothing)" })
  @Post(':id/erp-order')
  @HttpCode(200)
  @RequireScope('deals:write')
  record(@Param('id', new UuidParamPipe()) id: string, @Body(new ZodValidationPipe(recordErpOrderBodySchema)) body: RecordErpOrderBody, @CurrentClient() client: ErpClient) {
    return this.service.record(client, id, body);
  }
}
