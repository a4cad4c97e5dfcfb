import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DomainError, Pipeline, pipelineUpdated, RpcRequest, updatePipeline } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, notFound } from '../../deals/deal-errors';
import { stageChanges, stageStillUsed } from '../pipeline-stages';
import { PipelineRepository } from '../pipeline.repository';

/** Rename and restage: a removed stage must be empty (its deals moved first), else 409 naming it. */
@Injectable()
export class UpdatePipelineService {
  constructor(
    private readonly pipelines: PipelineRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updatePipeline>): Promise<Pipeline> {
    const before = await this.pipelines.find(tenantId, id);
    if (!before) throw notFound('Pipeline', id);
    checkVersion(expectedVersion, before.version);
    const stages = patch.stages ?? before.stages;
    const { removed } = stageChanges(before, stages);
    const counts = await this.pipelines.dealCounts(
      tenantId,
      id,
      removed.map((s) => s.id),
      false,
    );
    const used = removed.find((s) => counts.has(s.id));
    if (used) throw stageStillUsed(used, counts.get(used.id) ?? 0);
    const updated = await this.pipelines.update(
      tenantId,
      id,
      before.version,
      patch.name ?? before.name,
      stages,
      removed.map((s) => s.id),
    );
    if (!updated) throw new DomainError('PRECONDITION_FAILED', 'The pipeline changed meanwhile; read it again.');
    const pipeline = await this.pipelines.get(tenantId, id);
    const changed = (['name', 'stages'] as const).filter((field) => !isDeepStrictEqual(pipeline[field], before[field]));
    await this.events.publish(pipelineUpdated, { pipeline, changed }, { tenantId, subject: id, entityVersion: pipeline.version });
    return pipeline;
  }
}
