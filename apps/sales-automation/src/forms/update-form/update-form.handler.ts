import { Controller } from '@nestjs/common';
import { RpcRequest, updateLeadForm } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateFormService } from './update-form.service';

@Controller()
export class UpdateFormHandler {
  constructor(private readonly service: UpdateFormService) {}

  @OnRpc(updateLeadForm, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateLeadForm>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
