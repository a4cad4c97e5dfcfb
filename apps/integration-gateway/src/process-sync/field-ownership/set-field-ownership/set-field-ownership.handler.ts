import { Controller } from '@nestjs/common';
import { RpcRequest, setFieldOwnership } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SetFieldOwnershipService } from './set-field-ownership.service';

@Controller()
export class SetFieldOwnershipHandler {
  constructor(private readonly service: SetFieldOwnershipService) {}

  @OnRpc(setFieldOwnership, { scope: 'tenant' })
  handle(request: RpcRequest<typeof setFieldOwnership>, { actor }: TenantCallContext) {
    return this.service.set(actor.tenantId, request);
  }
}
