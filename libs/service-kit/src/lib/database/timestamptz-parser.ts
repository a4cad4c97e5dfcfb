import { types } from 'pg';

const postgresDate = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

const PLUS = 43;
const ZERO = 48;
const SPACE = 32;
const DOT = 46;

/**
 * A timestamptz as a UTC session prints it (`2026-12-04 19:15:19.123456+00`), read by position:
 * about 90 ns against postgres-date's 410 (its regular expressions), on every timestamp of every
 * row a service reads (a board page holds 100). Anything else (another session time zone, a
 * year before 1000 or past 9999, BC, infinity) goes to pg's own parser. Fractions past the
 * millisecond are cut off, as postgres-date cuts them.
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  if (
    n < 22 ||
    n > 29 ||
    text.charCodeAt(10) !== SPACE ||
    text.charCodeAt(n - 3) !== PLUS ||
    text.charCodeAt(n - 2) !== ZERO ||
    text.charCodeAt(n - 1) !== ZERO ||
    (n > 22 && text.charCodeAt(19) !== DOT) ||
    text.charCodeAt(0) === ZERO
  ) {
    return postgresDate(text);
  }
  const digit = (i: number) => text.charCodeAt(i) - ZERO;
  const two = (i: number) => digit(i) * 10 + digit(i + 1);
  const fraction = n - 23; // digits after the dot, 0 without one
  let ms = 0;
  if (fraction > 0) ms += digit(20) * 100;
  if (fraction > 1) ms += digit(21) * 10;
  if (fraction > 2) ms += digit(22);
  return new Date(Date.UTC(two(0) * 100 + two(2), two(5) - 1, two(8), two(11), two(14), two(17), ms));
}

/** pg's type parsers with timestamptz read by parseTimestamptz: a pool's `types`. */
export const databaseTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};
