import { Injectable } from '@nestjs/common';
import { Propagation, Transactional } from '@nestjs-cls/transactional';
import { LeadRepository } from '../lead.repository';

/**
 * Records on the lead what a remote step (company, contact) made, committed at once in a
 * transaction of its own: the command's transaction (command inbox) commits only at the end, and
 * a crash before that must not forget what the contacts service already holds.
 */
@Injectable()
export class ConversionRecord {
  constructor(private readonly leads: LeadRepository) {}

  @Transactional(Propagation.RequiresNew)
  async company(tenantId: string, leadId: string, companyId: string): Promise<void> {
    await this.leads.recordStep(tenantId, leadId, { converted_company_id: companyId });
  }

  @Transactional(Propagation.RequiresNew)
  async contact(tenantId: string, leadId: string, contactId: string): Promise<void> {
    await this.leads.recordStep(tenantId, leadId, { converted_contact_id: contactId });
  }
}
