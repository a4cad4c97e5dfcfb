/**
 * A timestamp column as the contracts carry it (ISO 8601, UTC). pg hands timestamptz columns over
 * as Dates already; raw rows and JSON-built ones can bring strings. A Date is not copied first:
 * every row of every list goes through here.
 */
export function isoTimestamp(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
