import { Injectable } from '@nestjs/common';
import { convertLead, DomainError, leadConverted, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CreateDealService } from '../../deals/create-deal/create-deal.service';
import { checkVersion, validationFailed } from '../../deals/deal-errors';
import { LeadLookup } from '../lead-lookup';
import { LeadRow, toLead } from '../lead.mapper';
import { LeadRepository } from '../lead.repository';
import { crashPoint } from './conversion-crash-point';
import { ConversionRecord } from './conversion-record';
import { derivedId } from './derived-id';
import { LeadContacts } from './lead-contacts';

type ConvertRequest = RpcRequest<typeof convertLead>;

/**
 * Lead → (company) → contact → (deal) → converted. Every step first looks at what the lead
 * recorded, so a retry goes on where a crash stopped, and every step is idempotent by itself:
 * the contacts service applies each call once per request id (derived from the lead), the deal
 * gets an id derived from the lead. Converting a converted lead answers what it became.
 */
@Injectable()
export class ConvertLeadService {
  constructor(
    private readonly lookup: LeadLookup,
    private readonly leads: LeadRepository,
    private readonly contacts: LeadContacts,
    private readonly record: ConversionRecord,
    private readonly deals: CreateDealService,
    private readonly events: EventPublisher,
  ) {}

  async convert(tenantId: string, request: ConvertRequest): Promise<RpcResponse<typeof convertLead>> {
    const lead = await this.lookup.live(tenantId, request.id);
    if (lead.status === 'converted') return result(lead);
    checkVersion(request.expectedVersion, lead.version);
    if (lead.status === 'disqualified') throw new DomainError('CONFLICT', `Lead ${lead.id} is disqualified: reopen it before converting.`);
    checkInput(lead, request);

    let companyId = lead.converted_company_id;
    if (request.createCompany && !companyId && lead.company_name) {
      companyId = await this.contacts.companyFor(lead, lead.company_name);
      crashPoint('company');
      await this.record.company(tenantId, lead.id, companyId);
    }
    let contactId = lead.converted_contact_id;
    if (!contactId) {
      contactId = (await this.contacts.contactFor(lead, companyId)).id;
      crashPoint('contact');
      await this.record.contact(tenantId, lead.id, contactId);
    }
    return this.finish(tenantId, lead, request, contactId, companyId);
  }

  /** The deal (if asked for) and the converted lead with its event, in the command's transaction. */
  @Transactional()
  private async finish(tenantId: string, lead: LeadRow, request: ConvertRequest, contactId: string, companyId: string | null) {
    const locked = await this.lookup.locked(tenantId, lead.id, undefined);
    if (locked.status === 'converted') return result(locked); // a concurrent conversion finished first
    let dealId = locked.converted_deal_id;
    if (request.createDeal?.currency && !dealId) {
      const { title, amountMinor, currency, pipelineId, stageId } = request.createDeal;
      const deal = await this.deals.create(
        tenantId,
        {
          title: title ?? dealTitle(lead),
          contactId,
          companyId,
          amountMinor: amountMinor ?? 0,
          currency,
          ownerId: lead.owner_id,
          pipelineId,
          stageId,
          leadId: lead.id,
        },
        { id: derivedId(lead.id, 'deal') },
      );
      dealId = deal.id;
      crashPoint('deal');
    }
    const row = await this.leads.update(tenantId, lead.id, locked.version, {
      status: 'converted',
      converted_contact_id: contactId,
      converted_company_id: companyId,
      converted_deal_id: dealId,
      converted_at: new Date(),
    });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again.');
    const converted = toLead(row);
    await this.events.publish(
      leadConverted,
      { lead: converted, contactId, companyId, dealId },
      { tenantId, subject: lead.id, entityVersion: converted.version },
    );
    return result(row);
  }
}

function checkInput(lead: LeadRow, request: ConvertRequest): void {
  const issues = [];
  if (request.createCompany && !lead.company_name) issues.push({ path: 'createCompany', message: 'the lead has no company name to create a company from' });
  if (request.createDeal && !request.createDeal.currency) issues.push({ path: 'createDeal.currency', message: 'required to create a deal' });
  if (issues.length) throw validationFailed(issues);
}

function dealTitle(lead: LeadRow): string {
  return lead.company_name ?? ([lead.first_name, lead.last_name].filter(Boolean).join(' ') || lead.email || 'Deal');
}

function result(row: LeadRow) {
  return { lead: toLead(row), contactId: row.converted_contact_id!, companyId: row.converted_company_id, dealId: row.converted_deal_id };
}
