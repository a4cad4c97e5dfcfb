import { Controller } from '@nestjs/common';
import { RpcRequest, updatePipeline } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdatePipelineService } from './update-pipeline.service';

@Controller()
export class UpdatePipelineHandler {
  constructor(private readonly service: UpdatePipelineService) {}

  @OnRpc(updatePipeline, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updatePipeline>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
