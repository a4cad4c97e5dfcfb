import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { Clock, restoreDeadline } from '@crm/service-kit';
import { ContactErasureRepository } from '../../contacts/erase-contact/contact-erasure.repository';
import { EraseContactService } from '../../contacts/erase-contact/erase-contact.service';
import { ExternalRecordsRepository } from '../../external-records/external-records.repository';
import { PurgeRepository } from '../purge.repository';

/** Contacts erased per transaction: short transactions, each committing its erased events. */
const BATCH = 100;

/**
 * The purge the contract promises: a contact soft-deleted longer ago than the restore window
 * (30 days) is erased for good, exactly as an erasure does it (tombstone, timeline, search
 * words, outbox rows, contacts merged into it) and `contacts.contact.erased.v1` tells the other
 * services to erase their copies. A restored contact has no deletion date and is never purged.
 * A company deleted as long ago becomes a tombstone no read finds (its name, details and search
 * words go, and the outbox rows about it); other services keep only its id and version, so no
 * event is needed. "Now" is the Clock's, so a test moves time instead of waiting.
 */
@Injectable()
export class PurgeDeletedService {
  private readonly logger = new Logger(PurgeDeletedService.name);

  constructor(
    private readonly repository: PurgeRepository,
    private readonly erasure: EraseContactService,
    private readonly outbox: ContactErasureRepository,
    private readonly clock: Clock,
    private readonly externalRecords: ExternalRecordsRepository,
  ) {}

  /** Purges everything due; returns how many contacts were erased and companies purged. */
  async purgeDue(): Promise<{ contacts: number; companies: number }> {
    const now = this.clock.now();
    const deadline = restoreDeadline(now);
    let contacts = 0;
    for (;;) {
      const { due, erased } = await this.purgeBatch(deadline, now);
      contacts += erased;
      if (due < BATCH) break;
    }
    let companies = 0;
    for (;;) {
      const purged = await this.purgeCompanies(deadline, now);
      companies += purged;
      if (purged < BATCH) break;
    }
    if (contacts + companies > 0) this.logger.log(`purged ${contacts} contact(s) and ${companies} compan(ies) deleted before ${deadline.toISOString()}`);
    return { contacts, companies };
  }

  @Transactional()
  private async purgeCompanies(deadline: Date, now: Date): Promise<number> {
    const due = await this.repository.dueCompanies(deadline, BATCH);
    for (const { tenantId, id } of due) {
      await this.repository.tombstoneCompany(tenantId, id, now);
      await this.outbox.scrubEvents(tenantId, [id]);
      // Gone for good: an outside system's id of it makes a new company from now on.
      await this.externalRecords.deleteRefs(tenantId, 'company', [id]);
    }
    return due.length;
  }

  @Transactional()
  private async purgeBatch(deadline: Date, now: Date): Promise<{ due: number; erased: number }> {
    const due = await this.repository.dueContacts(deadline, BATCH);
    let erased = 0;
    for (const { tenantId, id } of due) erased += (await this.erasure.eraseWithMerged(tenantId, id, now)).length;
    return { due: due.length, erased };
  }
}
