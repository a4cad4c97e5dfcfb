import { Injectable } from '@nestjs/common';
import { RpcRequest, RpcResponse, sendContactEmail } from '@crm/contracts';
import type { TenantCallContext } from '@crm/messaging';
import { EmailDispatch } from '../../automation-ports/email-dispatch.port';

/**
 * A user sends one template to one contact now. The request's own id (the same on every
 * redelivery and retry of the call) is the send key: a retried request sends nothing twice.
 */
@Injectable()
export class SendContactEmailService {
  constructor(private readonly dispatch: EmailDispatch) {}

  send({ tenantId, actor, requestId }: TenantCallContext, request: RpcRequest<typeof sendContactEmail>): Promise<RpcResponse<typeof sendContactEmail>> {
    return this.dispatch.send({
      tenantId,
      contactId: request.contactId,
      templateId: request.templateId,
      sendKey: `manual:${requestId}`,
      context: { dealId: request.dealId, orderId: request.orderId },
      source: { kind: 'manual', id: actor.userId },
    });
  }
}
