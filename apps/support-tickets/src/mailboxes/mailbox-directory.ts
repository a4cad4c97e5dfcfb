import { Injectable } from '@nestjs/common';
import { MailboxRepository, MailboxRow } from './mailbox.repository';

/** How long a replica trusts what it read of an address (another replica's change shows after this). */
const TTL_MS = 10_000;

/**
 * Which addresses are mailboxes, for routing every inbound email: read through a short cache (an
 * address that is no mailbox is cached too: every sender is looked up, to catch loops). A change
 * made through this replica shows at once; one made through another replica within TTL_MS.
 */
@Injectable()
export class MailboxDirectory {
  private readonly cache = new Map<string, { row: MailboxRow | null; until: number }>();

  constructor(private readonly mailboxes: MailboxRepository) {}

  async byAddresses(addresses: string[]): Promise<MailboxRow[]> {
    const now = Date.now();
    const missing = addresses.filter((address) => (this.cache.get(address)?.until ?? 0) <= now);
    if (missing.length) {
      const rows = await this.mailboxes.byAddresses(missing);
      if (this.cache.size > 50_000) this.cache.clear();
      for (const address of missing) this.cache.set(address, { row: rows.find((r) => r.address === address) ?? null, until: now + TTL_MS });
    }
    return addresses.map((address) => this.cache.get(address)?.row).filter((row): row is MailboxRow => !!row);
  }

  async isMailbox(address: string): Promise<boolean> {
    return (await this.byAddresses([address])).length > 0;
  }

  forget(address: string): void {
    this.cache.delete(address);
  }
}
