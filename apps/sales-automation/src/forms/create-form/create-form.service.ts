import { Injectable } from '@nestjs/common';
import { createLeadForm, LeadForm, leadFormCreated, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { toLeadForm } from '../lead-form.mapper';
import { LeadFormRepository } from '../lead-form.repository';

/** A new form with a random key of its own. */
@Injectable()
export class CreateFormService {
  constructor(
    private readonly forms: LeadFormRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { form }: RpcRequest<typeof createLeadForm>): Promise<LeadForm> {
    const row = await this.forms.insert(tenantId, {
      name: form.name,
      allowed_origins: [...new Set(form.allowedOrigins.map((origin) => origin.toLowerCase()))],
      campaign_id: form.campaignId ?? null,
      owner_id: form.ownerId ?? null,
      active: form.active,
    });
    const created = toLeadForm(row);
    await this.events.publish(leadFormCreated, { form: created }, { tenantId, subject: created.id, entityVersion: created.version });
    return created;
  }
}
