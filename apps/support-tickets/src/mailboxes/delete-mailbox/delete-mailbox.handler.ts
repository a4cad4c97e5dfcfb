import { Controller } from '@nestjs/common';
import { deleteMailbox, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { MailboxDirectory } from '../mailbox-directory';
import { MailboxRepository } from '../mailbox.repository';

@Controller()
export class DeleteMailboxHandler {
  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly directory: MailboxDirectory,
  ) {}

  @OnRpc(deleteMailbox, { scope: 'tenant' })
  async handle({ address }: RpcRequest<typeof deleteMailbox>, { actor }: TenantCallContext) {
    const deleted = await this.mailboxes.delete(actor.tenantId, address);
    this.directory.forget(address);
    return { deleted };
  }
}
