import type { PhoneCall } from '@crm/contracts';
import type { PhoneCallRow } from './phone-call.repository';
import { isoTimestamp as iso } from '@crm/service-kit';


export function toPhoneCall(row: PhoneCallRow): PhoneCall {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    direction: row.direction as PhoneCall['direction'],
    phoneNumber: row.phone_number,
    durationSeconds: row.duration_seconds,
    recordingUrl: row.recording_url,
    notes: row.notes,
    agentId: row.agent_id,
    startedAt: iso(row.started_at),
    createdAt: iso(row.created_at),
  };
}

/** The call as a line on the thread: "Inbound call from +49 30 1234, 4 min 5 s (recording: ...)" and the notes. */
export function callNote(call: { direction: string; phoneNumber: string; durationSeconds: number; recordingUrl: string | null; notes: string }): string {
  const minutes = Math.floor(call.durationSeconds / 60);
  const length = minutes ? `${minutes} min ${call.durationSeconds % 60} s` : `${call.durationSeconds} s`;
  const who = call.direction === 'inbound' ? `Inbound call from ${call.phoneNumber}` : `Outbound call to ${call.phoneNumber}`;
  return `${who}, ${length}${call.recordingUrl ? ` (recording: ${call.recordingUrl})` : ''}\n\n${call.notes}`;
}
