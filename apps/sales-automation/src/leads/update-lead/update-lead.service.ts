import { Injectable } from '@nestjs/common';
import { DomainError, Lead, leadUpdated, RpcRequest, updateLead } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { LeadLookup } from '../lead-lookup';
import { toLead } from '../lead.mapper';
import { LeadChanges, LeadRepository } from '../lead.repository';

const COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  companyName: 'company_name',
  email: 'email',
  phone: 'phone',
  message: 'message',
  campaignId: 'campaign_id',
  status: 'status',
  ownerId: 'owner_id',
  score: 'score',
} as const;

/**
 * Patch semantics (absent fields stay, null clears); a patch that changes nothing answers the lead
 * as it is (same version). Status moves among new, working and qualified here; a disqualified lead
 * is reopened by setting one of those (its reason cleared). A change publishes `lead.updated` with
 * the fields it changed.
 */
@Injectable()
export class UpdateLeadService {
  constructor(
    private readonly lookup: LeadLookup,
    private readonly leads: LeadRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateLead>): Promise<Lead> {
    const before = await this.lookup.lockedOpen(tenantId, id, expectedVersion);
    const changes: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(COLUMNS)) {
      const value = patch[field as keyof typeof COLUMNS];
      if (value !== undefined && value !== before[column]) {
        changes[column] = value;
        changed.push(field);
      }
    }
    if (changes['status'] !== undefined && before.disqualified_reason !== null) {
      changes['disqualified_reason'] = null;
      changed.push('disqualifiedReason');
    }
    if (!changed.length) return toLead(before);
    const row = await this.leads.update(tenantId, id, before.version, changes as LeadChanges);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again.');
    const lead = toLead(row);
    await this.events.publish(leadUpdated, { lead, changed }, { tenantId, subject: id, entityVersion: lead.version });
    return lead;
  }
}
