import { Controller } from '@nestjs/common';
import { RpcRequest, updateCustomField } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { UpdateCustomFieldService } from './update-custom-field.service';

@Controller()
export class UpdateCustomFieldHandler {
  constructor(private readonly service: UpdateCustomFieldService) {}

  @OnRpc(updateCustomField)
  handle(request: RpcRequest<typeof updateCustomField>, context: RpcCallContext) {
    return this.service.update(tenantOf(context), request);
  }
}
