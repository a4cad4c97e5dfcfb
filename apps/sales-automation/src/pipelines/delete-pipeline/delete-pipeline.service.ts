import { Injectable } from '@nestjs/common';
import { deletePipeline, DomainError, pipelineDeleted, pipelineUpdated, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, notFound } from '../../deals/deal-errors';
import { PipelineRepository } from '../pipeline.repository';

/** Only a pipeline without open deals goes (409 otherwise); the default passes to the oldest remaining one. */
@Injectable()
export class DeletePipelineService {
  constructor(
    private readonly pipelines: PipelineRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deletePipeline>) {
    await this.pipelines.lockTenant(tenantId);
    const pipeline = await this.pipelines.find(tenantId, id);
    if (!pipeline) throw notFound('Pipeline', id);
    checkVersion(expectedVersion, pipeline.version);
    const counts = await this.pipelines.dealCounts(
      tenantId,
      id,
      pipeline.stages.map((s) => s.id),
      true,
    );
    const open = [...counts.values()].reduce((sum, n) => sum + n, 0);
    if (open) throw new DomainError('CONFLICT', `The pipeline still has ${open} open deal(s): move or close them first.`, { openDeals: open });
    const now = new Date();
    const deleted = await this.pipelines.delete(tenantId, id, pipeline.version, now);
    if (!deleted) throw new DomainError('PRECONDITION_FAILED', 'The pipeline changed meanwhile; read it again.');
    await this.events.publish(
      pipelineDeleted,
      { pipelineId: id, deletedAt: now.toISOString() },
      { tenantId, subject: id, entityVersion: pipeline.version + 1 },
    );
    if (deleted.newDefaultId) {
      const newDefault = await this.pipelines.get(tenantId, deleted.newDefaultId);
      await this.events.publish(
        pipelineUpdated,
        { pipeline: newDefault, changed: ['isDefault'] },
        { tenantId, subject: newDefault.id, entityVersion: newDefault.version },
      );
    }
    return { id, deleted: true as const };
  }
}
