import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DomainError, LeadForm, leadFormUpdated, RpcRequest, updateLeadForm } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { FormLookup } from '../form-lookup';
import { toLeadForm } from '../lead-form.mapper';
import { LeadFormChanges, LeadFormRepository } from '../lead-form.repository';

const FIELDS = ['name', 'allowedOrigins', 'campaignId', 'ownerId', 'active'] as const;

/** Patch semantics (absent fields stay; an empty patch answers the form as it is, no event); the form key never changes. */
@Injectable()
export class UpdateFormService {
  constructor(
    private readonly lookup: FormLookup,
    private readonly forms: LeadFormRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateLeadForm>): Promise<LeadForm> {
    const before = toLeadForm(await this.lookup.live(tenantId, id, expectedVersion));
    const changes: LeadFormChanges = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.allowedOrigins !== undefined && { allowed_origins: [...new Set(patch.allowedOrigins.map((origin) => origin.toLowerCase()))] }),
      ...(patch.campaignId !== undefined && { campaign_id: patch.campaignId }),
      ...(patch.ownerId !== undefined && { owner_id: patch.ownerId }),
      ...(patch.active !== undefined && { active: patch.active }),
    };
    if (!Object.keys(changes).length) return before;
    const row = await this.forms.update(tenantId, id, before.version, changes);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The form changed meanwhile; read it again.');
    const form = toLeadForm(row);
    const changed = FIELDS.filter((field) => !isDeepStrictEqual(form[field], before[field]));
    await this.events.publish(leadFormUpdated, { form, changed: [...changed] }, { tenantId, subject: id, entityVersion: form.version });
    return form;
  }
}
