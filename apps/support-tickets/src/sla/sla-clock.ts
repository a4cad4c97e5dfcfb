import type { BusinessCalendar } from './business-calendar';

/** A ticket's status from `at` on. */
export interface StatusChange {
  at: Date;
  status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
}

/** Where a target stands at `now`. */
export interface SlaClockState {
  /** Business minutes counted so far. */
  elapsedMinutes: number;
  /** When it is (or was) due; null while paused before it was due. */
  dueAt: Date | null;
  /** When the warning share of the target is (or was) reached; null while paused before it. */
  warnAt: Date | null;
  /** The clock is stopped: pending on the customer, solved or closed. */
  paused: boolean;
  breached: boolean;
}

/** Statuses in which the clock does not run: waiting on the customer, or done. */
const STOPPED = new Set<StatusChange['status']>(['pending', 'solved', 'closed']);

/**
 * An SLA target's clock over a ticket's status history (oldest first, the first the creation):
 * business time counts while the ticket is new, open or on hold, pauses while pending on the
 * customer, stops when solved or closed and runs on from where it was when the ticket is reopened.
 * `fulfilledAt` (the first public reply, for a first-response target) stops it for good.
 */
export function slaClock(
  calendar: BusinessCalendar,
  history: StatusChange[],
  target: { minutes: number; warnShare: number; fulfilledAt?: Date | null },
  now: Date,
): SlaClockState {
  const end = target.fulfilledAt && target.fulfilledAt < now ? target.fulfilledAt : now;
  const warnMinutes = target.minutes * target.warnShare;
  let elapsed = 0;
  let dueAt: Date | null = null;
  let warnAt: Date | null = null;
  for (let i = 0; i < history.length; i++) {
    const from = history[i].at;
    if (from >= end) break;
    if (STOPPED.has(history[i].status)) continue;
    const to = i + 1 < history.length && history[i + 1].at < end ? history[i + 1].at : end;
    const minutes = calendar.minutesBetween(from, to);
    // The instants within this running stretch at which the warning and the target were reached.
    if (!warnAt && elapsed + minutes >= warnMinutes) warnAt = calendar.addMinutes(from, warnMinutes - elapsed);
    if (!dueAt && elapsed + minutes >= target.minutes) dueAt = calendar.addMinutes(from, target.minutes - elapsed);
    elapsed += minutes;
  }
  const last = history.filter((h) => h.at <= end).at(-1);
  const paused = end !== now || !last || STOPPED.has(last.status);
  if (!paused) {
    // Running now: what is left is counted from now on.
    warnAt ??= calendar.addMinutes(now, warnMinutes - elapsed);
    dueAt ??= calendar.addMinutes(now, target.minutes - elapsed);
  }
  return { elapsedMinutes: elapsed, dueAt, warnAt, paused, breached: elapsed >= target.minutes };
}
