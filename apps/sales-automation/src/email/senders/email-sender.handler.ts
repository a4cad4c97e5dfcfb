import { Controller } from '@nestjs/common';
import { getEmailSender, resetEmailSender, RpcRequest, setEmailSender } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EmailSenders } from './email-senders';

/** The tenant's sender: read (everyone), set and reset (managers and admins, by the gateway's map). */
@Controller()
export class EmailSenderHandler {
  constructor(private readonly senders: EmailSenders) {}

  @OnRpc(getEmailSender, { scope: 'tenant' })
  get(_request: RpcRequest<typeof getEmailSender>, { tenantId }: TenantCallContext) {
    return this.senders.get(tenantId);
  }

  @OnRpc(setEmailSender, { scope: 'tenant' })
  set(request: RpcRequest<typeof setEmailSender>, { tenantId }: TenantCallContext) {
    return this.senders.set(tenantId, request);
  }

  @OnRpc(resetEmailSender, { scope: 'tenant' })
  reset(request: RpcRequest<typeof resetEmailSender>, { tenantId }: TenantCallContext) {
    return this.senders.reset(tenantId, request);
  }
}
