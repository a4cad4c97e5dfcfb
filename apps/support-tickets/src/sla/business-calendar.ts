import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** Working time of one weekday, local wall-clock `HH:mm` (end after start; `24:00` for midnight). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/**
 * A tenant's business hours: a time zone, periods per ISO weekday (1 Monday ... 7 Sunday; a day
 * without periods is closed), the public holidays of a country (date-holidays: `DE`, `US` with
 * state `CA`, ...) and the tenant's own closed dates (YYYY-MM-DD, local).
 */
export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, WorkingPeriod[]>>;
  publicHolidays?: { country: string; state?: string; region?: string } | null;
  closedDates?: string[];
}

/** Whether date-holidays knows the public holidays of this country (ISO 3166 code). */
export function knowsHolidaysOf(country: string): boolean {
  return country in new Holidays().getCountries();
}

/** Every day, all day: an SLA in calendar time. */
export const ALWAYS_OPEN = (timeZone = 'UTC'): BusinessHours => ({
  timeZone,
  weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
});

const MINUTE = 60_000;
/** How far a computation walks (ten years of days): a calendar with no working time at all ends here. */
const MAX_DAYS = 3_660;

/**
 * Business time in a calendar. Periods are wall-clock times in the tenant's zone, so a DST change
 * moves them in UTC (09:00 stays 09:00) and a day's length in minutes follows the clock; a holiday
 * (public or the tenant's own) has no working time.
 */
export class BusinessCalendar {
  private readonly holidays: Holidays | null;
  private readonly publicByYear = new Map<number, Set<string>>();
  private readonly closed: Set<string>;

  constructor(readonly hours: BusinessHours) {
    if (!DateTime.local().setZone(hours.timeZone).isValid) throw new Error(`unknown time zone ${hours.timeZone}`);
    const place = hours.publicHolidays;
    this.holidays = place ? new Holidays(place.country, place.state ?? '', place.region ?? '') : null;
    this.closed = new Set(hours.closedDates ?? []);
  }

  /** Whether the local date (YYYY-MM-DD) is a public holiday or one of the tenant's closed dates. */
  isHoliday(localDate: string): boolean {
    if (this.closed.has(localDate)) return true;
    if (!this.holidays) return false;
    const year = Number(localDate.slice(0, 4));
    let dates = this.publicByYear.get(year);
    if (!dates) {
      dates = new Set(this.holidays.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      this.publicByYear.set(year, dates);
    }
    return dates.has(localDate);
  }

  /** The working intervals of the local day containing `day` (ms since epoch, in order). */
  private intervalsOf(day: DateTime): [number, number][] {
    const date = day.toISODate() as string;
    if (this.isHoliday(date)) return [];
    const periods = this.hours.weekly[day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7] ?? [];
    return periods.map((p) => [this.at(day, p.start), this.at(day, p.end)] as [number, number]).filter(([s, e]) => e > s);
  }

  private at(day: DateTime, hhmm: string): number {
    const [hour, minute] = hhmm.split(':').map(Number);
    if (hour === 24) return day.startOf('day').plus({ days: 1 }).toMillis();
    // Luxon maps a wall-clock time to its instant in the zone (a time skipped by DST moves forward).
    return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  }

  /** Business minutes in [from, to). */
  minutesBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    let day = DateTime.fromJSDate(from, { zone: this.hours.timeZone }).startOf('day');
    for (let i = 0; i < MAX_DAYS && day.toMillis() < to.getTime(); i++, day = day.plus({ days: 1 })) {
      for (const [start, end] of this.intervalsOf(day)) {
        const overlap = Math.min(end, to.getTime()) - Math.max(start, from.getTime());
        if (overlap > 0) total += overlap;
      }
    }
    return total / MINUTE;
  }

  /** The instant `minutes` business minutes after `from` (from itself when 0). */
  addMinutes(from: Date, minutes: number): Date {
    let left = minutes * MINUTE;
    if (left <= 0) return from;
    let day = DateTime.fromJSDate(from, { zone: this.hours.timeZone }).startOf('day');
    for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
      for (const [start, end] of this.intervalsOf(day)) {
        const begin = Math.max(start, from.getTime());
        if (end <= begin) continue;
        if (end - begin >= left) return new Date(begin + left);
        left -= end - begin;
      }
    }
    throw new Error('the calendar has no working time within ten years');
  }
}
