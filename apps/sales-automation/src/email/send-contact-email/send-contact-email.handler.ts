import { Controller } from '@nestjs/common';
import { RpcRequest, sendContactEmail } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SendContactEmailService } from './send-contact-email.service';

@Controller()
export class SendContactEmailHandler {
  constructor(private readonly service: SendContactEmailService) {}

  @OnRpc(sendContactEmail, { scope: 'tenant' })
  handle(request: RpcRequest<typeof sendContactEmail>, context: TenantCallContext) {
    return this.service.send(context, request);
  }
}
