import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import { z } from 'zod';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { DeliveriesService } from './deliveries.service';

const logQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const replayRangeBodySchema = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

@ApiTags('webhooks')
@RequireScope('webhooks:manage')
@Controller('erp/v1/webhooks/:id')
export class DeliveriesHttpController {
  constructor(private readonly service: DeliveriesService) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'The delivery log: status, attempts and response codes, newest first' })
  log(@Param('id', UuidParamPipe) id: string, @Query(new ZodValidationPipe(logQuerySchema)) query: z.infer<typeof logQuerySchema>, @CurrentClient() client: ErpClient) {
    return this.service.log(client, id, query.limit);
  }

  @Post('deliveries/:deliveryId/replay')
  @HttpCode(202)
  replay(@Param('id', UuidParamPipe) id: string, @Param('deliveryId', UuidParamPipe) deliveryId: string, @CurrentClient() client: ErpClient) {
    return this.service.replay(client, id, deliveryId);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every change recorded in [from, to) that the subscription asks for' })
  replayRange(@Param('id', UuidParamPipe) id: string, @Body(new ZodValidationPipe(replayRangeBodySchema)) body: z.infer<typeof replayRangeBodySchema>, @CurrentClient() client: ErpClient) {
    return this.service.replayRange(client, id, body);
  }
}
