import { Controller } from '@nestjs/common';
import { receiveEmail, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { refusedAsValidation } from '../inbound-refusal';
import { ReceiveEmailService } from './receive-email.service';

/** The raw-message route's command: the caller's tenant's mailboxes only. */
@Controller()
export class ReceiveEmailHandler {
  constructor(private readonly service: ReceiveEmailService) {}

  @OnRpc(receiveEmail, { scope: 'tenant' })
  handle({ raw }: RpcRequest<typeof receiveEmail>, { actor }: TenantCallContext) {
    return refusedAsValidation(() => this.service.receive(Buffer.from(raw, 'base64'), { tenantId: actor.tenantId }));
  }
}
