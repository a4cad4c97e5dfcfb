import type { ChangeEntry } from './change-log.repository';

/** A change as the feed and webhooks carry it: CloudEvents 1.0 (JSON format), with the feed's cursor as the `sequence` extension. */
export interface ChangeCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  /** Resume the feed after this event: GET /erp/v1/changes?after=<sequence>. */
  sequence: string;
  data: unknown;
}

/** The cursor of an entry: opaque to clients (base64url of its position in the log). */
export const cursorOf = (seq: string): string => Buffer.from(seq).toString('base64url');

export function toCloudEvent(entry: ChangeEntry): ChangeCloudEvent {
  return {
    specversion: '1.0',
    id: entry.eventId,
    source: `crm/${entry.type.split('.')[0]}`,
    type: entry.type,
    ...(entry.subject !== null && { subject: entry.subject }),
    time: entry.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: cursorOf(entry.seq),
    data: entry.data,
  };
}
