import { contactTimeZone, waitEnd } from './wait-time';

describe('wait-time: when a wait step ends', () => {
  it('adds a duration of days, hours and minutes', () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    expect(waitEnd({ type: 'wait', days: 21, hours: 1, minutes: 30 }, now, 'UTC').toISOString()).toBe('2026-12-22T11:30:00.000Z');
  });

  it('waits until the next of the weekdays at the hour in the time zone, strictly later than now', () => {
    // Tuesday 1 December 2026, 10:00 UTC = 11:00 in Paris.
    const now = new Date('2026-12-01T10:00:00.000Z');
    const mondayNine = { type: 'waitUntil' as const, weekdays: ['mon' as const], hour: 9, minute: 0 };
    expect(waitEnd(mondayNine, now, 'Europe/Paris').toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // Tuesday 11:00 in Paris has passed at 11:00: the next Tuesday.
    expect(waitEnd({ ...mondayNine, weekdays: ['tue'], hour: 11 }, now, 'Europe/Paris').toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(waitEnd({ ...mondayNine, weekdays: ['tue', 'fri'], hour: 12 }, now, 'Europe/Paris').toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(waitEnd(mondayNine, now, 'Asia/Tokyo').toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });

  it('follows daylight saving: 09:00 in New York is 13:00 UTC in summer and 14:00 UTC in winter', () => {
    const beforeChange = new Date('2026-10-30T12:00:00.000Z'); // Friday; clocks go back on Sunday 1 November.
    const monday = waitEnd({ type: 'waitUntil', weekdays: ['mon'], hour: 9, minute: 0 }, beforeChange, 'America/New_York');
    expect(monday.toISOString()).toBe('2026-11-02T14:00:00.000Z');
    const friday = waitEnd({ type: 'waitUntil', weekdays: ['fri'], hour: 9, minute: 0 }, new Date('2026-10-29T12:00:00.000Z'), 'America/New_York');
    expect(friday.toISOString()).toBe('2026-10-30T13:00:00.000Z');
  });

  it("takes the contact's time_zone custom field when it is a valid zone, else the sequence's", () => {
    expect(contactTimeZone({ time_zone: 'Asia/Tokyo' }, 'UTC')).toBe('Asia/Tokyo');
    expect(contactTimeZone({ time_zone: 'Mars/Olympus' }, 'Europe/Paris')).toBe('Europe/Paris');
    expect(contactTimeZone(null, 'Europe/Paris')).toBe('Europe/Paris');
    expect(contactTimeZone({ time_zone: 42 }, 'UTC')).toBe('UTC');
  });
});
