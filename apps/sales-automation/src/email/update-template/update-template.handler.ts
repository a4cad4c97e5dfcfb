import { Controller } from '@nestjs/common';
import { RpcRequest, updateEmailTemplate } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateEmailTemplateService } from './update-template.service';

@Controller()
export class UpdateEmailTemplateHandler {
  constructor(private readonly service: UpdateEmailTemplateService) {}

  @OnRpc(updateEmailTemplate, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateEmailTemplate>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
