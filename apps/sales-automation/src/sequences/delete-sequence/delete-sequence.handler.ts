import { Controller, Injectable } from '@nestjs/common';
import { deleteSequence, RpcRequest, sequenceDeleted } from '@crm/contracts';
import { EventPublisher, OnRpc, TenantCallContext } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { Clock } from '@crm/service-kit';
import { EnrolmentEvents } from '../enrolment-events';
import { EnrolmentRepository } from '../enrolment.repository';
import { changedMeanwhile, checkVersion, sequenceNotFound } from '../sequence-errors';
import { SequenceRepository } from '../sequence.repository';

/** Soft delete: the sequence answers 404; its running enrolments exit (`sequence-deleted`), their history stays. */
@Injectable()
export class DeleteSequenceService {
  constructor(
    private readonly repository: SequenceRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteSequence>): Promise<{ id: string }> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw sequenceNotFound(id);
    checkVersion(expectedVersion, row.version);
    const deletedAt = this.clock.now();
    if (!(await this.repository.update(tenantId, id, row.version, { deleted_at: deletedAt, enabled: false }))) throw changedMeanwhile();
    await this.enrolmentEvents.ended(await this.enrolments.exitForSequence(tenantId, id, 'sequence-deleted', deletedAt));
    await this.events.publish(
      sequenceDeleted,
      { sequenceId: id, deletedAt: deletedAt.toISOString() },
      { tenantId, subject: id, entityVersion: row.version + 1 },
    );
    return { id };
  }
}

@Controller()
export class DeleteSequenceHandler {
  constructor(private readonly service: DeleteSequenceService) {}

  @OnRpc(deleteSequence, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteSequence>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
