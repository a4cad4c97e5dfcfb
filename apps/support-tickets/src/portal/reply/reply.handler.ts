import { Controller } from '@nestjs/common';
import { replyToPortalTicket, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { PortalReplyService } from './reply.service';

@Controller()
export class PortalReplyHandler {
  constructor(private readonly service: PortalReplyService) {}

  @OnRpc(replyToPortalTicket, { scope: 'tenant' })
  handle({ customer, id, body }: RpcRequest<typeof replyToPortalTicket>, { tenantId }: TenantCallContext) {
    return this.service.reply(tenantId, customer.email, id, body);
  }
}
