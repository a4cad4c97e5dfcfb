import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Deal, DealInput, dealCreated, dealInputSchema, DomainError, toIssues } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { StageLookup } from '../../pipelines/stage-lookup';
import { CustomerNames } from '../customer-names';
import { validationFailed } from '../deal-errors';
import { dealLines } from '../deal-lines';
import { toDeal } from '../deal.mapper';
import { DealRepository } from '../deal.repository';
import { positionBetween } from '../drag-position';

export interface CreateDealOptions {
  /** An id chosen by the caller: a retried create with the same id answers the deal made the first time. */
  id?: string;
}

/**
 * Creates a deal, last in its stage (default: the default pipeline's first stage), with its first
 * stage visit and `deal.created`. Also the in-process API of lead conversion: an explicit id, or
 * the lead's id (one deal per lead), makes a retry answer the deal that exists.
 */
@Injectable()
export class CreateDealService {
  constructor(
    private readonly deals: DealRepository,
    private readonly stages: StageLookup,
    private readonly customers: CustomerNames,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, input: DealInput, options: CreateDealOptions = {}): Promise<Deal> {
    const parsed = dealInputSchema.safeParse(input);
    if (!parsed.success) throw validationFailed(toIssues(parsed.error).map((i) => ({ ...i, path: `deal.${i.path}` })));
    const deal = parsed.data;
    const existing = await this.existing(tenantId, options.id, deal.leadId);
    if (existing) return existing;
    const lines = dealLines(deal.lines, 'deal.lines');
    const place = await this.stages.resolve(tenantId, deal, 'deal');
    const customerName = await this.customers.of(tenantId, deal.contactId, deal.companyId);
    const position = positionBetween(await this.deals.lastPosition(tenantId, place.pipelineId, place.stageId), null);
    const now = new Date();
    const row = await this.deals.insert({
      id: options.id ?? randomUUID(),
      tenant_id: tenantId,
      title: deal.title,
      contact_id: deal.contactId ?? null,
      company_id: deal.companyId ?? null,
      customer_name: customerName,
      amount_minor: String(deal.amountMinor),
      currency: deal.currency,
      expected_close_date: deal.expectedCloseDate ?? null,
      owner_id: deal.ownerId ?? null,
      pipeline_id: place.pipelineId,
      stage_id: place.stageId,
      position,
      lead_id: deal.leadId ?? null,
      lines: JSON.stringify(lines),
      stage_entered_at: now,
      created_at: now,
      updated_at: now,
    });
    if (!row) {
      // Someone else created it meanwhile (a concurrent retry): answer theirs.
      const raced = await this.existing(tenantId, options.id, deal.leadId);
      if (raced) return raced;
      throw new DomainError('CONFLICT', 'A deal with this id exists already.');
    }
    await this.deals.enterStage(tenantId, row.id, row.pipeline_id, row.stage_id, now);
    const created = toDeal(row);
    await this.events.publish(dealCreated, { deal: created }, { tenantId, subject: created.id, entityVersion: created.version });
    return created;
  }

  private async existing(tenantId: string, id: string | undefined, leadId: string | undefined): Promise<Deal | null> {
    const row = (id && (await this.deals.find(tenantId, id))) || (leadId && (await this.deals.findByLead(tenantId, leadId))) || null;
    return row ? toDeal(row) : null;
  }
}
