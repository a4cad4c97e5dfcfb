import { Module } from '@nestjs/common';
import { DefineMailboxHandler } from './define-mailbox/define-mailbox.handler';
import { DeleteMailboxHandler } from './delete-mailbox/delete-mailbox.handler';
import { ListMailboxesHandler } from './list-mailboxes/list-mailboxes.handler';
import { MailboxDirectory } from './mailbox-directory';
import { MailboxRepository } from './mailbox.repository';

/** The inbound addresses of each tenant (support@acme.example -> tenant, group). */
@Module({
  controllers: [DefineMailboxHandler, ListMailboxesHandler, DeleteMailboxHandler],
  providers: [MailboxRepository, MailboxDirectory],
  exports: [MailboxDirectory],
})
export class MailboxesModule {}
