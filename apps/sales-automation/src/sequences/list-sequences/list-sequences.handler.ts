import { Controller } from '@nestjs/common';
import { listSequences, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { toSequence } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

/** The list's one order: oldest first (creation time, then id). */
const ORDER = 'created';

@Controller()
export class ListSequencesHandler {
  constructor(
    private readonly repository: SequenceRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listSequences, { scope: 'tenant' })
  async handle({ cursor, limit }: RpcRequest<typeof listSequences>, { tenantId }: TenantCallContext) {
    const after = this.cursors.decode(cursor, ORDER);
    const rows = await this.repository.list(tenantId, after && { createdAt: new Date(String(after.key)), id: after.id }, limit);
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: ORDER, byRelevance: false, sortKey: (row) => new Date(row.created_at).toISOString() },
      this.cursors,
    );
    return { data: page.map(toSequence), nextCursor };
  }
}
