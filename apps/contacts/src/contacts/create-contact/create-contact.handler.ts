import { Controller } from '@nestjs/common';
import { RpcRequest, createContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateContactService } from './create-contact.service';

@Controller()
export class CreateContactHandler {
  constructor(private readonly service: CreateContactService) {}

  @OnRpc(createContact, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createContact>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
