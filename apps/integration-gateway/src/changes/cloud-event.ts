import type { ChangeRow } from './change-log.repository';

/** A change as the feed and webhooks give it: a CloudEvents 1.0 event in structured JSON mode. */
export interface ChangeCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
}

/** The event id is the domain event's own (stable across replays and redeliveries); the source is its owning service. */
export function toCloudEvent(change: ChangeRow): ChangeCloudEvent {
  return {
    specversion: '1.0',
    id: change.eventId,
    source: `crm/${change.type.split('.')[0]}`,
    type: change.type,
    ...(change.subject ? { subject: change.subject } : {}),
    time: change.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: change.data,
  };
}
