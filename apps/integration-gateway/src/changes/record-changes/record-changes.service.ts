import { Injectable } from '@nestjs/common';
import { EventEnvelope, scrubPersonalData } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { ChangeLogRepository } from '../change-log.repository';
import { contactOf, FEED_EVENTS, scopeOfEvent } from '../feed-events';

const CONTRACTS = new Map(FEED_EVENTS.map((contract) => [contract.name, contract]));

/**
 * Keeps every feed event in the change log (and fans it out to webhook subscriptions), in the
 * consumer's transaction with its inbox row: a redelivered event is recorded once. An erased
 * person's entries keep their ids, types and times and lose their personal data (the contracts
 * mark which fields are), pending webhook payloads included: they are read from the log when sent.
 */
@Injectable()
export class RecordChangesService {
  constructor(private readonly log: ChangeLogRepository) {}

  @Transactional()
  async record(envelope: EventEnvelope): Promise<void> {
    const resource = scopeOfEvent(envelope.type);
    if (!resource) return;
    await this.log.append({
      tenantId: envelope.tenantid,
      eventId: envelope.id,
      type: envelope.type,
      resource,
      subject: envelope.subject ?? null,
      contactId: contactOf(envelope.type, envelope.subject, envelope.data),
      occurredAt: envelope.time,
      data: envelope.data,
    });
  }

  @Transactional()
  async scrubContact(tenantId: string, contactId: string): Promise<void> {
    for (const entry of await this.log.ofContact(tenantId, contactId)) {
      const contract = CONTRACTS.get(entry.type);
      await this.log.replaceData(entry.seq, contract ? scrubPersonalData(contract, entry.data as never) : {});
    }
  }
}
