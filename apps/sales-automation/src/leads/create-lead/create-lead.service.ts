import { Injectable } from '@nestjs/common';
import { Lead, leadCreated, LeadInput, leadInputSchema } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { toLead } from '../lead.mapper';
import { LeadRepository } from '../lead.repository';

/** Creates a lead and publishes `lead.created`. Also what a web-form submission calls (with its form's id). */
@Injectable()
export class CreateLeadService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, input: LeadInput, formId: string | null = null): Promise<Lead> {
    const lead = leadInputSchema.parse(input);
    const row = await this.leads.insert(tenantId, {
      first_name: lead.firstName ?? null,
      last_name: lead.lastName ?? null,
      company_name: lead.companyName ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      message: lead.message ?? null,
      source: lead.source,
      campaign_id: lead.campaignId ?? null,
      form_id: formId,
      status: lead.status ?? 'new',
      owner_id: lead.ownerId ?? null,
      score: lead.score ?? 0,
    });
    const created = toLead(row);
    await this.events.publish(leadCreated, { lead: created }, { tenantId, subject: created.id, entityVersion: created.version });
    return created;
  }
}
