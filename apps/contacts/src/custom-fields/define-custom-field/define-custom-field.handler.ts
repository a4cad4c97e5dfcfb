import { Controller } from '@nestjs/common';
import { RpcRequest, defineCustomField } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DefineCustomFieldService } from './define-custom-field.service';

@Controller()
export class DefineCustomFieldHandler {
  constructor(private readonly service: DefineCustomFieldService) {}

  @OnRpc(defineCustomField, { scope: 'tenant' })
  handle(request: RpcRequest<typeof defineCustomField>, { tenantId }: TenantCallContext) {
    return this.service.define(tenantId, request);
  }
}
