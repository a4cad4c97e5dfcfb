import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { InboundMailbox } from '../generated/kysely/database';

export type MailboxRow = Selectable<InboundMailbox>;

/** Inbound addresses. An address is global (mail for it reaches one tenant); every read but routing is tenant-scoped. */
@Injectable()
export class MailboxRepository {
  constructor(private readonly db: Database) {}

  /** Inserts, or moves the tenant's own address to another group; undefined when another tenant has it. */
  upsert(tenantId: string, address: string, groupId: string | null, at: Date): Promise<MailboxRow | undefined> {
    return this.db
      .insertInto('inbound_mailbox')
      .values({ address, tenant_id: tenantId, group_id: groupId, created_at: at })
      .onConflict((oc) => oc.column('address').doUpdateSet({ group_id: groupId }).where('inbound_mailbox.tenant_id', '=', tenantId))
      .returningAll()
      .executeTakeFirst();
  }

  list(tenantId: string): Promise<MailboxRow[]> {
    return this.db.selectFrom('inbound_mailbox').selectAll().where('tenant_id', '=', tenantId).orderBy('address').execute();
  }

  async delete(tenantId: string, address: string): Promise<boolean> {
    const result = await this.db.deleteFrom('inbound_mailbox').where('tenant_id', '=', tenantId).where('address', '=', address).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The mailboxes among these addresses (routing: the recipient names the tenant). */
  byAddresses(addresses: string[]): Promise<MailboxRow[]> {
    if (!addresses.length) return Promise.resolve([]);
    return this.db.selectFrom('inbound_mailbox').selectAll().where('address', 'in', addresses).execute();
  }
}
