import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { listLeads, RpcRequest, RpcResponse } from '@crm/contracts';
import { SalesCursors } from '../../shared/sales-cursors';
import { toLead } from '../lead.mapper';
import { LeadRepository } from '../lead.repository';

/** Leads newest first, filtered, cursor-paged; a cursor is bound to its filter. */
@Injectable()
export class ListLeadsService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { filter, cursor, limit }: RpcRequest<typeof listLeads>): Promise<RpcResponse<typeof listLeads>> {
    // A time sort ends in `At` (the codec checks the key is a time); the filter's digest keeps cursors short.
    const sort = `leads:${createHash('sha256').update(JSON.stringify(filter)).digest('base64url').slice(0, 16)}:-createdAt`;
    const after = this.cursors.decode(cursor, sort);
    const rows = await this.leads.page(tenantId, { filter, after: after && { createdAt: String(after.key), id: after.id }, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? this.cursors.encode({ sort, key: new Date(last.created_at).toISOString(), id: last.id }) : null;
    return { data: page.map(toLead), nextCursor };
  }
}
