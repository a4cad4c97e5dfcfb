import type { Mailbox } from '@crm/contracts';
import type { MailboxRow } from './mailbox.repository';

export function toMailbox(row: MailboxRow): Mailbox {
  return { address: row.address, groupId: row.group_id, createdAt: new Date(row.created_at).toISOString() };
}
