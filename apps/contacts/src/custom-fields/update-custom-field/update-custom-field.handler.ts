import { Controller } from '@nestjs/common';
import { RpcRequest, updateCustomField } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateCustomFieldService } from './update-custom-field.service';

@Controller()
export class UpdateCustomFieldHandler {
  constructor(private readonly service: UpdateCustomFieldService) {}

  @OnRpc(updateCustomField, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateCustomField>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
