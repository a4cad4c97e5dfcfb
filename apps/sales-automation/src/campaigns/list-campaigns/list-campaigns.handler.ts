import { Controller } from '@nestjs/common';
import { listCampaigns, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { toCampaign } from '../campaign.mapper';
import { CampaignRepository } from '../campaign.repository';

/** Oldest first (creation time, then id), optionally of one status, with their counts. */
@Controller()
export class ListCampaignsHandler {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listCampaigns, { scope: 'tenant' })
  async handle({ status, cursor, limit }: RpcRequest<typeof listCampaigns>, { tenantId }: TenantCallContext) {
    const rows = await this.repository.list(tenantId, { status, after: this.cursors.createdAfter(cursor) }, limit);
    const counts = await this.repository.counts(rows.slice(0, limit).map((row) => row.id));
    return this.cursors.createdPage(rows, limit, (row) => toCampaign(row, counts.get(row.id)));
  }
}
