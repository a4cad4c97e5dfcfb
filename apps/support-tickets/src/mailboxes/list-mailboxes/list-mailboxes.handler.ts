import { Controller } from '@nestjs/common';
import { listMailboxes } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { toMailbox } from '../mailbox.mapper';
import { MailboxRepository } from '../mailbox.repository';

@Controller()
export class ListMailboxesHandler {
  constructor(private readonly mailboxes: MailboxRepository) {}

  @OnRpc(listMailboxes, { scope: 'tenant' })
  async handle(_request: unknown, { actor }: TenantCallContext) {
    return { data: (await this.mailboxes.list(actor.tenantId)).map(toMailbox) };
  }
}
