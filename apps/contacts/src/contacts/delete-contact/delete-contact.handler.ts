import { Controller } from '@nestjs/common';
import { RpcRequest, deleteContact } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { DeleteContactService } from './delete-contact.service';

@Controller()
export class DeleteContactHandler {
  constructor(private readonly service: DeleteContactService) {}

  @OnRpc(deleteContact)
  handle(request: RpcRequest<typeof deleteContact>, context: RpcCallContext) {
    return this.service.delete(tenantOf(context), request);
  }
}
