import { Controller } from '@nestjs/common';
import { createSequence, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateSequenceService } from './create-sequence.service';

@Controller()
export class CreateSequenceHandler {
  constructor(private readonly service: CreateSequenceService) {}

  @OnRpc(createSequence, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createSequence>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
