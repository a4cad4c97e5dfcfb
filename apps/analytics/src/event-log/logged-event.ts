import {
  companyCreated,
  companyDeleted,
  companyRestored,
  companyUpdated,
  contactCreated,
  contactDeleted,
  contactErased,
  contactMerged,
  contactRestored,
  contactUpdated,
  EventEnvelope,
  interactionLogged,
} from '@crm/contracts';

/** A consumed event as event_log keeps it: what projection and replay work from. */
export interface LoggedEvent {
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
  data: Record<string, unknown>;
  /** Personal data already removed (the contact is erased). */
  scrubbed: boolean;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where each consumed event type keeps its entity id, the contact it concerns, and its version. */
const ENTITY: Record<string, (data: Data) => { entityId: string; contactId: string | null; version?: number }> = {
  [contactCreated.name]: (d) => ({ entityId: d.contact.id, contactId: d.contact.id, version: d.contact.version }),
  [contactUpdated.name]: (d) => ({ entityId: d.contact.id, contactId: d.contact.id, version: d.contact.version }),
  [contactRestored.name]: (d) => ({ entityId: d.contact.id, contactId: d.contact.id, version: d.contact.version }),
  [contactMerged.name]: (d) => ({ entityId: d.contact.id, contactId: d.contact.id, version: d.contact.version }),
  [contactDeleted.name]: (d) => ({ entityId: d.contactId, contactId: d.contactId }),
  [contactErased.name]: (d) => ({ entityId: d.contactId, contactId: d.contactId }),
  [companyCreated.name]: (d) => ({ entityId: d.company.id, contactId: null, version: d.company.version }),
  [companyUpdated.name]: (d) => ({ entityId: d.company.id, contactId: null, version: d.company.version }),
  [companyRestored.name]: (d) => ({ entityId: d.company.id, contactId: null, version: d.company.version }),
  [companyDeleted.name]: (d) => ({ entityId: d.companyId, contactId: null }),
  [interactionLogged.name]: (d) => ({ entityId: d.interaction.id, contactId: d.interaction.contactId }),
};

export const CONSUMED_EVENT_TYPES = Object.keys(ENTITY);

/** The log row for a delivered envelope (its data already validated against the contract). */
export function loggedEventOf(envelope: EventEnvelope): LoggedEvent {
  const locate = ENTITY[envelope.type];
  if (!locate) throw new Error(`analytics does not log ${envelope.type}`);
  const data = envelope.data as Data;
  const { entityId, contactId, version } = locate(data);
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
    data,
    scrubbed: false,
  };
}
