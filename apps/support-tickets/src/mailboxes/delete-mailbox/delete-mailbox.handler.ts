import { Controller } from '@nestjs/common';
import { deleteMailbox, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { MailboxRepository } from '../mailbox.repository';

@Controller()
export class DeleteMailboxHandler {
  constructor(private readonly mailboxes: MailboxRepository) {}

  @OnRpc(deleteMailbox, { scope: 'tenant' })
  async handle({ address }: RpcRequest<typeof deleteMailbox>, { actor }: TenantCallContext) {
    return { deleted: await this.mailboxes.delete(actor.tenantId, address) };
  }
}
