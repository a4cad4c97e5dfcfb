import { Controller } from '@nestjs/common';
import { defineMailbox, DomainError, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { toMailbox } from '../mailbox.mapper';
import { MailboxDirectory } from '../mailbox-directory';
import { MailboxRepository } from '../mailbox.repository';

@Controller()
export class DefineMailboxHandler {
  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly directory: MailboxDirectory,
    private readonly clock: Clock,
  ) {}

  @OnRpc(defineMailbox, { scope: 'tenant' })
  async handle({ address, groupId }: RpcRequest<typeof defineMailbox>, { actor }: TenantCallContext) {
    const row = await this.mailboxes.upsert(actor.tenantId, address, groupId, this.clock.now());
    this.directory.forget(address);
    if (!row) throw new DomainError('CONFLICT', `${address} takes mail for another tenant.`);
    return toMailbox(row);
  }
}
