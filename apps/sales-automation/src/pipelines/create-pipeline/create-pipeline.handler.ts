import { Controller } from '@nestjs/common';
import { createPipeline, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreatePipelineService } from './create-pipeline.service';

@Controller()
export class CreatePipelineHandler {
  constructor(private readonly service: CreatePipelineService) {}

  @OnRpc(createPipeline, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createPipeline>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request.pipeline);
  }
}
