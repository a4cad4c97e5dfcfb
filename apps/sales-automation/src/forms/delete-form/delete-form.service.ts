import { Injectable } from '@nestjs/common';
import { deleteLeadForm, DomainError, leadFormDeleted, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { FormLookup } from '../form-lookup';
import { LeadFormRepository } from '../lead-form.repository';

/** Soft delete: its key answers 404 from then on; the leads it made keep their form id. */
@Injectable()
export class DeleteFormService {
  constructor(
    private readonly lookup: FormLookup,
    private readonly forms: LeadFormRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteLeadForm>) {
    const before = await this.lookup.live(tenantId, id, expectedVersion);
    const now = new Date();
    const row = await this.forms.update(tenantId, id, before.version, { deleted_at: now });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The form changed meanwhile; read it again.');
    await this.events.publish(leadFormDeleted, { formId: id, deletedAt: now.toISOString() }, { tenantId, subject: id, entityVersion: row.version });
    return { id };
  }
}
