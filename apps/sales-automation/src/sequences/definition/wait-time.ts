import { SEQUENCE_WEEKDAYS, SequenceStep } from '@crm/contracts';
import { DateTime } from 'luxon';

const MINUTE = 60_000;

export function validTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/**
 * When a wait step ends, from `now`: a duration, or the next of the weekdays at the hour in the
 * time zone (strictly later than now; a local time skipped by a daylight-saving change moves to
 * the next valid one, as luxon resolves it).
 */
export function waitEnd(step: Extract<SequenceStep, { type: 'wait' | 'waitUntil' }>, now: Date, timeZone: string): Date {
  if (step.type === 'wait') return new Date(now.getTime() + ((step.days * 24 + step.hours) * 60 + step.minutes) * MINUTE);
  const zone = validTimeZone(timeZone) ? timeZone : 'UTC';
  const local = DateTime.fromJSDate(now, { zone });
  const weekdays = new Set(step.weekdays.map((day) => SEQUENCE_WEEKDAYS.indexOf(day) + 1));
  for (let days = 0; days <= 7; days++) {
    const candidate = local.plus({ days }).set({ hour: step.hour, minute: step.minute, second: 0, millisecond: 0 });
    if (weekdays.has(candidate.weekday) && candidate.toMillis() > now.getTime()) return candidate.toJSDate();
  }
  throw new Error('unreachable: a week always holds one of the weekdays');
}

/** An IANA zone from the contact's custom field `time_zone` (custom field keys are snake case), else the sequence's. */
export function contactTimeZone(customFields: unknown, fallback: string): string {
  const zone = (customFields as Record<string, unknown> | null)?.['time_zone'];
  return typeof zone === 'string' && validTimeZone(zone) ? zone : fallback;
}
