import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { RecordChangesService } from '../changes/record-changes/record-changes.service';
import { SyncLogRepository } from '../sync-log/sync-log.repository';

/**
 * A merge: the duplicate's sync history is the survivor's (a search by the survivor finds what the
 * ERP sent for either). An erasure: the sync log's entries about the person keep their facts
 * (what, when, status) and lose the values and the ERP's id of the person; the change log's lose
 * their personal data (pending webhook payloads with them: RecordChangesService does it on
 * recording the erasure). Both events go to the feed as well,
 * so the ERP erases its copy too. Runs in the consumer's transaction with its inbox row.
 */
@Injectable()
export class ContactLifecycleService {
  constructor(
    private readonly syncLog: SyncLogRepository,
    private readonly changes: RecordChangesService,
  ) {}

  @Transactional()
  async merged(envelope: EventEnvelope, mergedId: string, survivorId: string): Promise<void> {
    await this.syncLog.moveRecord(envelope.tenantid, mergedId, survivorId);
    await this.changes.record(envelope);
  }

  @Transactional()
  async erased(envelope: EventEnvelope, contactId: string): Promise<void> {
    await this.syncLog.scrubRecords(envelope.tenantid, [contactId]);
    await this.changes.record(envelope);
  }
}
