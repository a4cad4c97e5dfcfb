import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { EraseContactService } from '../../contacts/erase-contact/erase-contact.service';
import { Clock } from '../../shared/clock';
import { restoreDeadline } from '../../shared/soft-delete';
import { PurgeRepository } from '../purge.repository';

/** Contacts erased per transaction: short transactions, each committing its erased events. */
const BATCH = 100;

/**
 * The purge the contract promises: a contact soft-deleted longer ago than the restore window
 * (30 days) is erased for good, exactly as an erasure does it (tombstone, timeline, search
 * words, outbox rows, contacts merged into it) and `contacts.contact.erased.v1` tells the other
 * services to erase their copies. A restored contact has no deletion date and is never purged.
 * "Now" is the Clock's, so a test moves time instead of waiting.
 */
@Injectable()
export class PurgeDeletedService {
  private readonly logger = new Logger(PurgeDeletedService.name);

  constructor(
    private readonly repository: PurgeRepository,
    private readonly erasure: EraseContactService,
    private readonly clock: Clock,
  ) {}

  /** Purges everything due; returns how many contacts were erased. */
  async purgeDue(): Promise<{ contacts: number }> {
    const now = this.clock.now();
    let contacts = 0;
    for (;;) {
      const { due, erased } = await this.purgeBatch(restoreDeadline(now), now);
      contacts += erased;
      if (due < BATCH) break;
    }
    if (contacts > 0) this.logger.log(`purged ${contacts} contact(s) deleted before ${restoreDeadline(now).toISOString()}`);
    return { contacts };
  }

  @Transactional()
  private async purgeBatch(deadline: Date, now: Date): Promise<{ due: number; erased: number }> {
    const due = await this.repository.dueContacts(deadline, BATCH);
    let erased = 0;
    for (const { tenantId, id } of due) erased += (await this.erasure.eraseWithMerged(tenantId, id, now)).length;
    return { due: due.length, erased };
  }
}
