import { Controller } from '@nestjs/common';
import { deleteLeadForm, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteFormService } from './delete-form.service';

@Controller()
export class DeleteFormHandler {
  constructor(private readonly service: DeleteFormService) {}

  @OnRpc(deleteLeadForm, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteLeadForm>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
