import { Controller } from '@nestjs/common';
import { deletePipeline, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeletePipelineService } from './delete-pipeline.service';

@Controller()
export class DeletePipelineHandler {
  constructor(private readonly service: DeletePipelineService) {}

  @OnRpc(deletePipeline, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deletePipeline>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
