import { Injectable, Optional } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { EventEnvelope } from '@crm/contracts';
import { BeforeCommit } from '@crm/messaging';
import { EventLogRepository } from '../event-log/event-log.repository';
import { LoggedEvent, loggedEventOf } from '../event-log/logged-event';
import { scrubbed } from '../event-log/personal-data';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { BulkProjector } from '../projection/bulk-projector';
import { Projector } from '../projection/projector';
import { TenantLock } from '../read-models/tenant-lock';

/**
 * Logs consumed events and projects them. Runs in the consumer's transaction, with the inbox
 * rows: the whole effect commits once or not at all. The events of one transaction (a batch of
 * deliveries) are gathered and applied together just before it commits: runs of simple events
 * with a few statements in all (BulkProjector), merges and erasures one at a time, in order.
 */
@Injectable()
export class IngestEventService {
  /** Events gathered per transaction (its client), applied before it commits. */
  private readonly gathered = new WeakMap<object, LoggedEvent[]>();

  constructor(
    private readonly lock: TenantLock,
    private readonly log: EventLogRepository,
    private readonly projector: Projector,
    private readonly bulk: BulkProjector,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    // Absent where no bus runs (the rebuild CLI): events then apply as they come.
    @Optional() private readonly beforeCommit?: BeforeCommit,
  ) {}

  async ingest(envelope: EventEnvelope): Promise<void> {
    const event = loggedEventOf(envelope);
    const tx = this.txHost.tx;
    const gathered = this.gathered.get(tx);
    if (gathered) {
      gathered.push(event);
      return;
    }
    const events = [event];
    const deferred = this.beforeCommit?.add('analytics:ingest', () => {
      this.gathered.delete(tx);
      return this.apply(events);
    });
    // Not in a consumer's transaction: nothing to gather with.
    if (!deferred) return this.apply(events);
    this.gathered.set(tx, events);
  }

  private async apply(events: LoggedEvent[]): Promise<void> {
    // In one order for every transaction: two batches never wait on each other's tenants.
    for (const tenantId of [...new Set(events.map((e) => e.tenantId))].sort()) await this.lock.acquire(tenantId);
    let run: LoggedEvent[] = [];
    for (const event of events) {
      if (this.bulk.canBulk(event)) {
        run.push(event);
        continue;
      }
      await this.bulk.project(run);
      run = [];
      await this.applyOne(event);
    }
    await this.bulk.project(run);
  }

  private async applyOne(event: LoggedEvent): Promise<void> {
    // Arriving after its contact's erasure, it is logged without the personal data it carries
    // (the log decides that in the append itself).
    const appended = await this.log.append(event, scrubbed(event).data);
    // Already logged: a redelivery older than the inbox's memory. Its effect is there.
    if (!appended) return;
    await this.projector.apply(appended.event, appended.contactBefore);
  }
}
