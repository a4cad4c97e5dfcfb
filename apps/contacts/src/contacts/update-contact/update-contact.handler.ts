import { Controller } from '@nestjs/common';
import { RpcRequest, updateContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateContactService } from './update-contact.service';

@Controller()
export class UpdateContactHandler {
  constructor(private readonly service: UpdateContactService) {}

  @OnRpc(updateContact, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateContact>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
