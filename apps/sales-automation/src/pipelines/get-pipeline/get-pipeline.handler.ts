import { Controller } from '@nestjs/common';
import { getPipeline, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { notFound } from '../../deals/deal-errors';
import { PipelineRepository } from '../pipeline.repository';

@Controller()
export class GetPipelineHandler {
  constructor(private readonly pipelines: PipelineRepository) {}

  @OnRpc(getPipeline, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getPipeline>, { tenantId }: TenantCallContext) {
    const pipeline = await this.pipelines.find(tenantId, id);
    if (!pipeline) throw notFound('Pipeline', id);
    return pipeline;
  }
}
