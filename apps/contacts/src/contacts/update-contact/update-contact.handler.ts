import { Controller } from '@nestjs/common';
import { RpcRequest, updateContact } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { UpdateContactService } from './update-contact.service';

@Controller()
export class UpdateContactHandler {
  constructor(private readonly service: UpdateContactService) {}

  @OnRpc(updateContact)
  handle(request: RpcRequest<typeof updateContact>, context: RpcCallContext) {
    return this.service.update(tenantOf(context), request);
  }
}
