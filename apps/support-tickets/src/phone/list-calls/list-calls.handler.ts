import { Controller } from '@nestjs/common';
import { listPhoneCalls, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { PhoneCallRepository } from '../phone-call.repository';
import { toPhoneCall } from '../phone-call.mapper';

/** A ticket's calls, oldest first. */
@Controller()
export class ListPhoneCallsHandler {
  constructor(private readonly calls: PhoneCallRepository) {}

  @OnRpc(listPhoneCalls, { scope: 'tenant' })
  async handle({ ticketId }: RpcRequest<typeof listPhoneCalls>, { tenantId }: TenantCallContext) {
    return { data: (await this.calls.ofTicket(tenantId, ticketId)).map(toPhoneCall) };
  }
}
