import { Injectable } from '@nestjs/common';
import { Pipeline, pipelineCreated, PipelineInput } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { PipelineRepository } from '../pipeline.repository';

/** A tenant's first pipeline is its default (where deals go that name none). */
@Injectable()
export class CreatePipelineService {
  constructor(
    private readonly pipelines: PipelineRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, input: PipelineInput): Promise<Pipeline> {
    await this.pipelines.lockTenant(tenantId);
    const isDefault = !(await this.pipelines.hasLive(tenantId));
    const id = await this.pipelines.insert(tenantId, input.name, isDefault, input.stages);
    const pipeline = await this.pipelines.get(tenantId, id);
    await this.events.publish(pipelineCreated, { pipeline }, { tenantId, subject: id, entityVersion: pipeline.version });
    return pipeline;
  }
}
