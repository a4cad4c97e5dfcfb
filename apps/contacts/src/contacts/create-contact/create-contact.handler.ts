import { Controller } from '@nestjs/common';
import { RpcRequest, createContact } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { CreateContactService } from './create-contact.service';

@Controller()
export class CreateContactHandler {
  constructor(private readonly service: CreateContactService) {}

  @OnRpc(createContact)
  handle(request: RpcRequest<typeof createContact>, context: RpcCallContext) {
    return this.service.create(tenantOf(context), request);
  }
}
