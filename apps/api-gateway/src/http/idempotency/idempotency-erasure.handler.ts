import { Controller, Logger } from '@nestjs/common';
import { contactErased, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { IdempotencyRecords } from './idempotency-records';

/**
 * Erasure reaches the gateway's Redis: the responses stored for Idempotency-Key replay that hold
 * an erased contact (its create, updates, merges, interactions) are deleted. Through the inbox,
 * like every consumer; deleting twice changes nothing, and a Redis failure throws (retried).
 */
@Controller()
export class IdempotencyErasureHandler {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly records: IdempotencyRecords) {}

  @OnEvent(contactErased, { scope: 'tenant' })
  async onContactErased(data: { contactId: string }, envelope: EventEnvelope): Promise<void> {
    const deleted = await this.records.forgetContact(envelope.tenantid, data.contactId);
    if (deleted > 0) this.logger.log(`deleted ${deleted} stored Idempotency-Key response(s) of an erased contact`);
  }
}
