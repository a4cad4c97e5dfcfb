import { Controller, Injectable } from '@nestjs/common';
import { deleteLead, DomainError, leadDeleted, RpcRequest } from '@crm/contracts';
import { EventPublisher, OnRpc, TenantCallContext } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { LeadLookup } from '../lead-lookup';
import { LeadRepository } from '../lead.repository';

/** Soft delete: the row stays (conversion links point at it) but is never read back; publishes `lead.deleted`. */
@Injectable()
export class DeleteLeadService {
  constructor(
    private readonly lookup: LeadLookup,
    private readonly leads: LeadRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteLead>) {
    const before = await this.lookup.locked(tenantId, id, expectedVersion);
    const deletedAt = new Date();
    const row = await this.leads.update(tenantId, id, before.version, { deleted_at: deletedAt });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The lead changed meanwhile; read it again.');
    await this.events.publish(leadDeleted, { leadId: id, deletedAt: deletedAt.toISOString() }, { tenantId, subject: id, entityVersion: row.version });
    return { id };
  }
}

@Controller()
export class DeleteLeadHandler {
  constructor(private readonly service: DeleteLeadService) {}

  @OnRpc(deleteLead, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteLead>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
