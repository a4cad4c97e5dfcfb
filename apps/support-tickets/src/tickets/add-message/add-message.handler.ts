import { Controller } from '@nestjs/common';
import { addTicketMessage, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { AddTicketMessageService } from './add-message.service';

@Controller()
export class AddTicketMessageHandler {
  constructor(private readonly service: AddTicketMessageService) {}

  @OnRpc(addTicketMessage, { scope: 'tenant' })
  handle(request: RpcRequest<typeof addTicketMessage>, { actor }: TenantCallContext) {
    return this.service.add(actor, request);
  }
}
