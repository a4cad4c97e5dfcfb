import { Injectable } from '@nestjs/common';
import { checkVersion, notFound } from './deal-errors';
import { DealRow } from './deal.table';
import { DealRepository } from './deal.repository';

/** A live deal of the tenant (404 otherwise, another tenant's too), optionally locked and checked against If-Match. */
@Injectable()
export class DealLookup {
  constructor(private readonly deals: DealRepository) {}

  async live(tenantId: string, id: string): Promise<DealRow> {
    const row = await this.deals.find(tenantId, id);
    if (!row) throw notFound('Deal', id);
    return row;
  }

  async locked(tenantId: string, id: string, expectedVersion: number | undefined): Promise<DealRow> {
    const row = await this.deals.lock(tenantId, id);
    if (!row) throw notFound('Deal', id);
    checkVersion(expectedVersion, row.version);
    return row;
  }
}
