import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { SyncLogRepository } from '../sync-log/sync-log.repository';

/**
 * A merge: the duplicate's sync history is the survivor's (a search by the survivor finds what the
 * ERP sent for either). An erasure: the entries about the person keep their facts (what, when,
 * status) and lose the values and the ERP's id of the person. Runs in the consumer's transaction
 * with its inbox row.
 */
@Injectable()
export class ContactLifecycleService {
  constructor(private readonly syncLog: SyncLogRepository) {}

  @Transactional()
  async merged(tenantId: string, mergedId: string, survivorId: string): Promise<void> {
    await this.syncLog.moveRecord(tenantId, mergedId, survivorId);
  }

  @Transactional()
  async erased(tenantId: string, contactId: string): Promise<void> {
    await this.syncLog.scrubRecords(tenantId, [contactId]);
  }
}
