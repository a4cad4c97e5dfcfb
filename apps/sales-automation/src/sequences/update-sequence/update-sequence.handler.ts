import { Controller } from '@nestjs/common';
import { RpcRequest, updateSequence } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateSequenceService } from './update-sequence.service';

@Controller()
export class UpdateSequenceHandler {
  constructor(private readonly service: UpdateSequenceService) {}

  @OnRpc(updateSequence, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateSequence>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
