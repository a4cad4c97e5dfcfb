import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { type ListChangesQuery, listChangesQuerySchema } from './list-changes.dto';
import { ListChangesService } from './list-changes.service';

@ApiTags('changes')
@Controller('erp/v1/changes')
export class ListChangesHttpController {
  constructor(private readonly service: ListChangesService) {}

  @Get()
  @RequireScope('changes:read')
  @ApiOperation({ summary: 'The change feed: CloudEvents after a cursor, in order; wait=<s> long-polls' })
  list(@Query(new ZodValidationPipe(listChangesQuerySchema)) query: ListChangesQuery, @CurrentClient() client: ErpClient, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.service.list(client, query, closedSignal(reply));
  }
}

/** Aborts when the caller hangs up (a long poll then stops waiting). */
function closedSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
