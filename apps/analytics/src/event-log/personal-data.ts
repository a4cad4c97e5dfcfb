import { EventContract, EventData, scrubPersonalData } from '@crm/contracts';
import { projectionOf } from '../projection/projections';
import type { LoggedEvent } from './logged-event';

/**
 * The event's data without the personal data of its contact: what stays in the log once the
 * contact is erased. Which fields those are is the contract's to say (its `personal(...)` marks):
 * ids, versions, times and channels stay, so a replay still orders and counts the same.
 */
export function withoutPersonalData(contract: EventContract, data: unknown): LoggedEvent['data'] {
  return scrubPersonalData(contract, data as EventData<EventContract>) as LoggedEvent['data'];
}

export function scrubbed(event: LoggedEvent): LoggedEvent {
  return event.scrubbed ? event : { ...event, data: withoutPersonalData(projectionOf(event.type).contract, event.data), scrubbed: true };
}
