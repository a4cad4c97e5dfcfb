import { Controller } from '@nestjs/common';
import { deleteEmailTemplate, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteEmailTemplateService } from './delete-template.service';

@Controller()
export class DeleteEmailTemplateHandler {
  constructor(private readonly service: DeleteEmailTemplateService) {}

  @OnRpc(deleteEmailTemplate, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteEmailTemplate>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
