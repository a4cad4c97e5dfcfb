import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Deal, listDeals, RpcRequest, RpcResponse } from '@crm/contracts';
import { JsonReply } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { validationFailed } from '../deal-errors';
import { BOARD_ORDER, DealListRepository, DealOrder } from './deal-list.repository';

type ListRequest = RpcRequest<typeof listDeals>;
/** The deal's field a sort runs by: the cursor's key is its value as the reply writes it (as its column's text). */
type SortField = 'position' | 'updatedAt' | 'expectedCloseDate' | 'amountMinor';

/** The orders of `sort`, with ties broken by id the way each index runs. */
const ORDERS: Record<ListRequest['sort'], DealOrder & { field: SortField }> = {
  position: { field: 'position', ...BOARD_ORDER },
  '-updatedAt': { field: 'updatedAt', column: 'updated_at', type: 'timestamptz', desc: true, idDesc: false, nullable: false },
  expectedCloseDate: { field: 'expectedCloseDate', column: 'expected_close_date', type: 'date', desc: false, idDesc: false, nullable: true },
  '-expectedCloseDate': { field: 'expectedCloseDate', column: 'expected_close_date', type: 'date', desc: true, idDesc: true, nullable: true },
  amount: { field: 'amountMinor', column: 'amount_minor', type: 'bigint', desc: false, idDesc: false, nullable: false },
  '-amount': { field: 'amountMinor', column: 'amount_minor', type: 'bigint', desc: true, idDesc: true, nullable: false },
};

/** The cursor's key for a missing date: no real key is empty. */
const NO_VALUE = '';

/**
 * Deals by one order, cursor-paged. `sort: 'position'` is the board: it needs the pipeline and
 * the stage, and shows open deals unless a status is asked for.
 */
@Injectable()
export class ListDealsService {
  constructor(
    private readonly deals: DealListRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { filter, sort, cursor, limit }: ListRequest): Promise<JsonReply<RpcResponse<typeof listDeals>>> {
    if (sort === 'position') {
      const missing = (['pipelineId', 'stageId'] as const).filter((f) => !filter[f]);
      if (missing.length)
        throw validationFailed(missing.map((f) => ({ path: `filter.${f}`, message: 'the board (sort=position) is one stage of one pipeline' })));
    }
    const order = ORDERS[sort];
    // The cursor is bound to the sort and the filter (a digest: cursors stay short): another filter's cursor is refused.
    const cursorSort = `${sort}:${createHash('sha256').update(JSON.stringify(filter)).digest('base64url').slice(0, 16)}`;
    const after = this.cursors.decode(cursor, cursorSort);
    const deals = await this.deals.page(tenantId, {
      filter: { ...filter, status: filter.status ?? (sort === 'position' ? 'open' : undefined) },
      order,
      after: after && { key: after.key === NO_VALUE ? null : String(after.key), id: after.id },
      limit,
    });
    const page = deals.slice(0, limit);
    let nextCursor: string | null = null;
    if (deals.length > limit) {
      const last = JSON.parse(page[page.length - 1]) as Deal;
      const key = last[order.field];
      nextCursor = this.cursors.encode({ sort: cursorSort, key: key === null ? NO_VALUE : String(key), id: last.id });
    }
    // Postgres wrote each deal as the contract's JSON: the page is handed on without being read here.
    return new JsonReply(`{"data":[${page.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  }
}
