import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { syncLogFilterSchema } from '@crm/contracts';
import { ZodValidationPipe } from '@crm/service-kit';
import { z } from 'zod';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { ListSyncLogService } from './list-sync-log.service';

export const listSyncLogQuerySchema = syncLogFilterSchema.extend({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
type ListSyncLogQuery = z.infer<typeof listSyncLogQuerySchema>;

/** The ERP reads its tenant's sync log: what each item and delivery did, newest first. */
@Controller('erp/v1/sync-log')
@ApiBearerAuth()
export class ListSyncLogController {
  constructor(private readonly service: ListSyncLogService) {}

  @ApiOperation({ operationId: 'listSyncLog', summary: 'The sync log: inbound items and outbound deliveries, newest first' })
  @Get()
  @RequireScope('sync-log:read')
  list(@Query(new ZodValidationPipe(listSyncLogQuerySchema)) query: ListSyncLogQuery, @CurrentClient() client: ErpClient) {
    const { cursor, limit, ...filter } = query;
    return this.service.list(client.tenantId, { filter, cursor, limit });
  }
}
