import { Injectable } from '@nestjs/common';
import { disqualifyLead, DomainError, Lead, leadDisqualified, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { LeadLookup } from '../lead-lookup';
import { toLead } from '../lead.mapper';
import { LeadRepository } from '../lead.repository';

/** Sets the lead disqualified with its reason and publishes `lead.disqualified`. */
@Injectable()
export class DisqualifyLeadService {
  constructor(
    private readonly lookup: LeadLookup,
    private readonly leads: LeadRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async disqualify(tenantId: string, { id, expectedVersion, reason }: RpcRequest<typeof disqualifyLead>): Promise<Lead> {
    const before = await this.lookup.lockedOpen(tenantId, id, expectedVersion);
    if (before.status === 'disqualified' && before.disqualified_reason === reason) return toLead(before);
    const row = await this.leads.update(tenantId, id, before.version, { status: 'disqualified', disqualified_reason: reason });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again.');
    const lead = toLead(row);
    await this.events.publish(leadDisqualified, { lead }, { tenantId, subject: id, entityVersion: lead.version });
    return lead;
  }
}
