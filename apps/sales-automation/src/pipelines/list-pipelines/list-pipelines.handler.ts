import { Controller } from '@nestjs/common';
import { listPipelines, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { PipelineRepository } from '../pipeline.repository';

const SORT = 'createdAt';

@Controller()
export class ListPipelinesHandler {
  constructor(
    private readonly pipelines: PipelineRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listPipelines, { scope: 'tenant' })
  async handle({ cursor, limit }: RpcRequest<typeof listPipelines>, { tenantId }: TenantCallContext) {
    const after = this.cursors.decode(cursor, SORT);
    const rows = await this.pipelines.page(tenantId, after && { createdAt: String(after.key), id: after.id }, limit);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit && last ? this.cursors.encode({ sort: SORT, key: last.createdAt, id: last.id }) : null };
  }
}
