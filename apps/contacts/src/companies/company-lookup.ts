import { Injectable } from '@nestjs/common';
import { isExpired } from '@crm/service-kit';
import { notFound } from '../shared/errors';
import { CompanyRepository, CompanyRow } from './company.repository';

/** A company as the tenant may see it: live, or deleted within the restore window; else NOT_FOUND. */
@Injectable()
export class CompanyLookup {
  constructor(private readonly repository: CompanyRepository) {}

  async visible(tenantId: string, id: string): Promise<CompanyRow> {
    const row = await this.repository.find(tenantId, id);
    if (!row || isExpired(row.deletedAt)) throw notFound('company', id);
    return row;
  }

  /** Live only: what can be changed or linked to. */
  async live(tenantId: string, id: string): Promise<CompanyRow> {
    const row = await this.visible(tenantId, id);
    if (row.deletedAt) throw notFound('company', id);
    return row;
  }
}
