import { Controller } from '@nestjs/common';
import { createEmailTemplate, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateEmailTemplateService } from './create-template.service';

@Controller()
export class CreateEmailTemplateHandler {
  constructor(private readonly service: CreateEmailTemplateService) {}

  @OnRpc(createEmailTemplate, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createEmailTemplate>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
