import { Controller } from '@nestjs/common';
import { RpcRequest, defineCustomField } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { DefineCustomFieldService } from './define-custom-field.service';

@Controller()
export class DefineCustomFieldHandler {
  constructor(private readonly service: DefineCustomFieldService) {}

  @OnRpc(defineCustomField)
  handle(request: RpcRequest<typeof defineCustomField>, context: RpcCallContext) {
    return this.service.define(tenantOf(context), request);
  }
}
