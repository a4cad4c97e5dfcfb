import { Controller } from '@nestjs/common';
import { createLeadForm, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateFormService } from './create-form.service';

@Controller()
export class CreateFormHandler {
  constructor(private readonly service: CreateFormService) {}

  @OnRpc(createLeadForm, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createLeadForm>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
