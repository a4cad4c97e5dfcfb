import { Controller } from '@nestjs/common';
import { getTicketAttachment, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { GetAttachmentService } from './get-attachment.service';

@Controller()
export class GetAttachmentHandler {
  constructor(private readonly service: GetAttachmentService) {}

  @OnRpc(getTicketAttachment, { scope: 'tenant' })
  handle(request: RpcRequest<typeof getTicketAttachment>, { tenantId }: TenantCallContext) {
    return this.service.get(tenantId, request);
  }
}
