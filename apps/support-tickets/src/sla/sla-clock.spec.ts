import { ALWAYS_OPEN, BusinessCalendar, BusinessHours } from './business-calendar';
import { slaClock, StatusChange } from './sla-clock';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
/** Monday to Friday 09:00-17:00 in Berlin, German public holidays. */
const berlinOffice: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: { 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE, 4: NINE_TO_FIVE, 5: NINE_TO_FIVE },
  publicHolidays: { country: 'DE' },
};
/** Every day 09:00-17:00 in New York. */
const newYorkDaily: BusinessHours = { timeZone: 'America/New_York', weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, NINE_TO_FIVE])) };

const at = (iso: string) => new Date(iso);
const run = (status: StatusChange['status'], iso: string): StatusChange => ({ status, at: at(iso) });
const HOUR = 60;

describe('SLA clock', () => {
  it.each([
    // [case, calendar, history, target minutes, now, expected due (UTC), breached, paused]
    ['weekend: Friday 16:00 + 4 h is Monday 12:00', berlinOffice, [run('new', '2026-11-27T15:00:00Z')], 4 * HOUR, '2026-11-27T15:00:00Z', '2026-11-30T11:00:00Z', false, false],
    [
      'public holiday: Thursday 24 Dec 15:00 + 4 h skips Christmas (Fri 25 Dec) and the weekend: Monday 28 Dec 11:00',
      berlinOffice,
      [run('new', '2026-12-24T14:00:00Z')],
      4 * HOUR,
      '2026-12-24T14:00:00Z',
      '2026-12-28T10:00:00Z',
      false,
      false,
    ],
    [
      "the tenant's own closed date: Monday 30 Nov closed, so Friday 16:00 + 4 h is Tuesday 12:00",
      { ...berlinOffice, closedDates: ['2026-11-30'] },
      [run('new', '2026-11-27T15:00:00Z')],
      4 * HOUR,
      '2026-11-27T15:00:00Z',
      '2026-12-01T11:00:00Z',
      false,
      false,
    ],
    [
      'DST ends (Berlin, Sun 25 Oct): 24 h of calendar time are 24 real hours, 11:00 local after 12:00 local',
      ALWAYS_OPEN('Europe/Berlin'),
      [run('new', '2026-10-24T10:00:00Z')],
      24 * HOUR,
      '2026-10-24T10:00:00Z',
      '2026-10-25T10:00:00Z',
      false,
      false,
    ],
    [
      'DST starts (New York, Sun 8 Mar): opening stays 09:00 local, so Saturday 16:00 + 2 h is Sunday 10:00 EDT (14:00 UTC, not 15:00)',
      newYorkDaily,
      [run('new', '2026-03-07T21:00:00Z')],
      2 * HOUR,
      '2026-03-07T21:00:00Z',
      '2026-03-08T14:00:00Z',
      false,
      false,
    ],
    [
      'pause on customer: 1 h open, pending Mon 10:00 to Tue 15:00, then open: 3 h left, due Wednesday 10:00',
      berlinOffice,
      [run('new', '2026-11-30T08:00:00Z'), run('pending', '2026-11-30T09:00:00Z'), run('open', '2026-12-01T14:00:00Z')],
      4 * HOUR,
      '2026-12-01T14:00:00Z',
      '2026-12-02T09:00:00Z',
      false,
      false,
    ],
    [
      'while pending: the clock is paused, nothing is due',
      berlinOffice,
      [run('new', '2026-11-30T08:00:00Z'), run('pending', '2026-11-30T09:00:00Z')],
      4 * HOUR,
      '2026-12-03T12:00:00Z',
      null,
      false,
      true,
    ],
    [
      'reopen after solved: 2 h counted before solving, reopened Wednesday 09:00: due Wednesday 11:00',
      berlinOffice,
      [run('new', '2026-11-30T08:00:00Z'), run('solved', '2026-11-30T10:00:00Z'), run('open', '2026-12-02T08:00:00Z')],
      4 * HOUR,
      '2026-12-02T08:00:00Z',
      '2026-12-02T10:00:00Z',
      false,
      false,
    ],
    [
      'breached: open past the target, due when it was reached',
      berlinOffice,
      [run('new', '2026-11-30T08:00:00Z')],
      4 * HOUR,
      '2026-11-30T15:00:00Z',
      '2026-11-30T12:00:00Z',
      true,
      false,
    ],
    [
      'created outside business hours: Saturday counts nothing, the clock starts Monday 09:00',
      berlinOffice,
      [run('new', '2026-11-28T10:00:00Z')],
      HOUR,
      '2026-11-28T10:00:00Z',
      '2026-11-30T09:00:00Z',
      false,
      false,
    ],
  ] as const)('%s', (_case, hours, history, minutes, now, due, breached, paused) => {
    const state = slaClock(new BusinessCalendar(hours as BusinessHours), [...history], { minutes, warnShare: 0.75 }, at(now));
    expect({ dueAt: state.dueAt?.toISOString() ?? null, breached: state.breached, paused: state.paused }).toEqual({ dueAt: due && at(due).toISOString(), breached, paused });
  });

  it('the warning comes at its share of the target, in business time', () => {
    const state = slaClock(new BusinessCalendar(berlinOffice), [run('new', '2026-11-27T15:00:00Z')], { minutes: 4 * HOUR, warnShare: 0.75 }, at('2026-11-27T15:00:00Z'));
    // 3 h of 4: 1 h on Friday, 2 h on Monday from 09:00.
    expect(state.warnAt).toEqual(at('2026-11-30T10:00:00Z'));
  });

  it('a first response stops the clock for good: elapsed time is what it took', () => {
    const state = slaClock(
      new BusinessCalendar(berlinOffice),
      [run('new', '2026-11-30T08:00:00Z')],
      { minutes: HOUR, warnShare: 0.5, fulfilledAt: at('2026-11-30T08:40:00Z') },
      at('2026-12-04T12:00:00Z'),
    );
    expect(state).toMatchObject({ elapsedMinutes: 40, breached: false, paused: true, dueAt: null });
  });

  it('business minutes between two instants skip nights, weekends and holidays', () => {
    const calendar = new BusinessCalendar(berlinOffice);
    // Thursday 24 Dec 16:00 to Monday 28 Dec 10:00: 1 h + 1 h (Christmas and the weekend count nothing).
    expect(calendar.minutesBetween(at('2026-12-24T15:00:00Z'), at('2026-12-28T09:00:00Z'))).toBe(2 * HOUR);
    expect(calendar.isHoliday('2026-12-25')).toBe(true);
    expect(calendar.isHoliday('2026-12-24')).toBe(false);
  });

  it('refuses an unknown time zone', () => {
    expect(() => new BusinessCalendar({ ...berlinOffice, timeZone: 'Mars/Olympus' })).toThrow('unknown time zone');
  });
});
