import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@crm/contracts';
import { EventLogRepository } from '../event-log/event-log.repository';
import { loggedEventOf } from '../event-log/logged-event';
import { scrubbed } from '../event-log/personal-data';
import { Projector } from '../projection/projector';
import { TenantLock } from '../read-models/tenant-lock';

/**
 * Logs a consumed event and projects it. Runs in the consumer's transaction, with its inbox row:
 * the whole effect commits once or not at all.
 */
@Injectable()
export class IngestEventService {
  constructor(
    private readonly lock: TenantLock,
    private readonly log: EventLogRepository,
    private readonly projector: Projector,
  ) {}

  async ingest(envelope: EventEnvelope): Promise<void> {
    await this.lock.acquire(envelope.tenantid);
    const event = loggedEventOf(envelope);
    // Arriving after its contact's erasure, it is logged without the personal data it carries
    // (the log decides that in the append itself).
    const logged = await this.log.append(event, scrubbed(event).data);
    // Already logged: a redelivery older than the inbox's memory. Its effect is there.
    if (!logged) return;
    await this.projector.apply(logged);
  }
}
