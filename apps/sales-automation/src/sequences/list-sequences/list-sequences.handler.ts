import { Controller } from '@nestjs/common';
import { listSequences, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { toSequence } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

/** Oldest first (creation time, then id). */
@Controller()
export class ListSequencesHandler {
  constructor(
    private readonly repository: SequenceRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listSequences, { scope: 'tenant' })
  async handle({ cursor, limit }: RpcRequest<typeof listSequences>, { tenantId }: TenantCallContext) {
    const rows = await this.repository.list(tenantId, this.cursors.createdAfter(cursor), limit);
    return this.cursors.createdPage(rows, limit, toSequence);
  }
}
