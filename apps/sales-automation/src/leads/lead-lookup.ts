import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { checkVersion, notFound } from '../deals/deal-errors';
import { LeadRow } from './lead.mapper';
import { LeadRepository } from './lead.repository';

/** A live lead of the tenant (404 otherwise, another tenant's too), optionally locked and checked against If-Match. */
@Injectable()
export class LeadLookup {
  constructor(private readonly leads: LeadRepository) {}

  async live(tenantId: string, id: string): Promise<LeadRow> {
    const row = await this.leads.find(tenantId, id);
    if (!row) throw notFound('Lead', id);
    return row;
  }

  async locked(tenantId: string, id: string, expectedVersion: number | undefined): Promise<LeadRow> {
    const row = await this.leads.lock(tenantId, id);
    if (!row) throw notFound('Lead', id);
    checkVersion(expectedVersion, row.version);
    return row;
  }

  /** Locked, and still open: a converted lead is the contact's now, not edited here. */
  async lockedOpen(tenantId: string, id: string, expectedVersion: number | undefined): Promise<LeadRow> {
    const row = await this.locked(tenantId, id, expectedVersion);
    if (row.status === 'converted') throw new DomainError('CONFLICT', `Lead ${id} is converted.`);
    return row;
  }
}
