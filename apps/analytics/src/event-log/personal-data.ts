import { contactCreated, contactMerged, contactRestored, contactUpdated, interactionLogged } from '@crm/contracts';
import type { LoggedEvent } from './logged-event';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTACT_STATE_EVENTS = new Set([contactCreated.name, contactUpdated.name, contactRestored.name]);

/**
 * The event's data without the personal data of its contact: what stays in the log once the
 * contact is erased. Ids, versions, times and channels stay, so a replay still orders and counts
 * the same; names, emails, phones, addresses, free text and custom fields go.
 */
export function withoutPersonalData(type: string, data: Data): Data {
  if (CONTACT_STATE_EVENTS.has(type)) return { contact: { id: data.contact.id, version: data.contact.version } };
  if (type === contactMerged.name) {
    return { contact: { id: data.contact.id, version: data.contact.version }, mergedId: data.mergedId };
  }
  if (type === interactionLogged.name) {
    const { id, contactId, channel, direction, occurredAt, loggedBy, createdAt } = data.interaction;
    return { interaction: { id, contactId, channel, direction, occurredAt, loggedBy, createdAt } };
  }
  // Deleted and erased events carry ids and times only; company events are not personal data.
  return data;
}

export function scrubbed(event: LoggedEvent): LoggedEvent {
  return event.scrubbed ? event : { ...event, data: withoutPersonalData(event.type, event.data), scrubbed: true };
}
