import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * A timestamp column as the contracts carry it (ISO 8601, UTC). pg hands timestamptz columns over
 * as Dates already; raw rows and JSON-built ones can bring strings. A Date is not copied first:
 * every row of every list goes through here.
 */
export function isoTimestamp(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * The same text written by Postgres, for JSON a query builds itself: UTC, milliseconds (to_char's
 * MS cuts the microseconds off, as the Date a row is read into does).
 */
export function isoTimestampSql(column: Expression<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
