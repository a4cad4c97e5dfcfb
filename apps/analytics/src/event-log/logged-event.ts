import type { EventEnvelope } from '@crm/contracts';
import { projectionOf } from '../projection/projections';

/** A consumed event as event_log keeps it: what projection and replay work from. */
export interface LoggedEvent<D = Record<string, unknown>> {
  eventId: string;
  tenantId: string;
  type: string;
  subject: string | null;
  /** The contact, company or interaction the event is about. */
  entityId: string;
  /** The contact whose personal data the event may carry (what erasure scrubs); null for companies. */
  contactId: string | null;
  entityVersion: number;
  occurredAt: Date;
  /** As the contract parsed it; once scrubbed, without the fields the contract marks personal. */
  data: D;
  /** Personal data already removed (the contact is erased). */
  scrubbed: boolean;
}

/** The log row for a delivered envelope (its data already validated against the contract). */
export function loggedEventOf(envelope: EventEnvelope): LoggedEvent {
  const { entityId, contactId, version } = projectionOf(envelope.type).locate(envelope.data);
  return {
    eventId: envelope.id,
    tenantId: envelope.tenantid,
    type: envelope.type,
    subject: envelope.subject ?? null,
    entityId,
    contactId,
    // The envelope's version orders events; the entity's own is the fallback.
    entityVersion: envelope.entityversion ?? version ?? 0,
    occurredAt: new Date(envelope.time),
    data: envelope.data as Record<string, unknown>,
    scrubbed: false,
  };
}
