import { Injectable, Optional } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { contactErased, type EventEnvelope } from '@crm/contracts';
import { BeforeCommit } from '@crm/messaging';
import { WebhookDeliveryRepository } from '../../webhooks/webhook-delivery.repository';
import { ChangeLogRepository, type NewChange } from '../change-log.repository';
import { resourceOf } from '../change-scopes';

/**
 * Takes every consumed domain event into the change log. Runs in the consumer's transaction with
 * the inbox rows; the events of one transaction (a batch of deliveries) are gathered and appended
 * with one statement just before it commits, with the webhook deliveries they make.
 * An erasure also scrubs the contact's earlier entries. A merge needs nothing: the merged-away
 * contact's entries describe what happened to it then, and the merged event itself tells the
 * ERP which id survives (it carries no data the surviving record does not).
 */
@Injectable()
export class RecordChangesService {
  private readonly gathered = new WeakMap<object, NewChange[]>();

  constructor(
    private readonly changes: ChangeLogRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly txHost: TransactionHost,
    @Optional() private readonly beforeCommit?: BeforeCommit,
  ) {}

  async record(envelope: EventEnvelope): Promise<void> {
    const change = changeOf(envelope);
    const tx = this.txHost.tx as object;
    const gathered = this.gathered.get(tx);
    if (gathered) {
      gathered.push(change);
      return;
    }
    const batch = [change];
    const deferred = this.beforeCommit?.add('integration-gateway:changes', () => {
      this.gathered.delete(tx);
      return this.apply(batch);
    });
    if (!deferred) return this.apply(batch);
    this.gathered.set(tx, batch);
  }

  private async apply(batch: NewChange[]): Promise<void> {
    const appended = await this.changes.append(batch);
    for (const change of batch) {
      if (change.type === contactErased.name && change.contactId) await this.changes.scrubContact(change.tenantId, change.contactId, change.eventId);
    }
    await this.deliveries.enqueueFor(appended);
  }
}

/** The change log row of an event: its resource, subject and the contact it names, if any. */
export function changeOf(envelope: EventEnvelope): NewChange {
  const resource = resourceOf(envelope.type);
  return {
    tenantId: envelope.tenantid,
    eventId: envelope.id,
    type: envelope.type,
    resource,
    subject: envelope.subject ?? null,
    contactId: contactIdOf(resource, envelope.subject, envelope.data),
    occurredAt: envelope.time,
    data: envelope.data ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function contactIdOf(resource: string, subject: string | undefined, data: unknown): string | null {
  const candidates: unknown[] = [];
  if (resource === 'contacts.contact') candidates.push(subject);
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    candidates.push(record['contactId']);
    const contact = record['contact'];
    if (contact && typeof contact === 'object') candidates.push((contact as Record<string, unknown>)['id']);
    // An entity about a contact (an interaction, a deal, an order...) names it as contactId.
    for (const value of Object.values(record)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) candidates.push((value as Record<string, unknown>)['contactId']);
    }
  }
  const found = candidates.find((c): c is string => typeof c === 'string' && UUID.test(c));
  return found ?? null;
}
