import type { Readable } from 'node:stream';

/**
 * One row of an uploaded file: its line (1-based; the first data line of a CSV is 2; a CSV record
 * spanning lines has the line where it ends; a vCard the line of its BEGIN), its external id and
 * fields, or why it could not be read (it then fails alone).
 */
export type ParsedRow =
  | { line: number; externalId: string; record: Record<string, unknown>; error?: undefined }
  | { line: number; externalId?: string; record?: undefined; error: string };

export interface ParseOptions {
  /** The upload's column (CSV), property (NDJSON) or vCard property (`uid`, `x-erp-id`) holding the external id. */
  externalIdField: string;
  /** The upload's column (CSV) or property (NDJSON) → the object's field (dotted paths: `emails.0.address`); absent: the same name. */
  columnMapping: Record<string, string>;
}

/**
 * Reads an upload as a stream and yields its rows one by one, never holding the file: CSV, NDJSON
 * and vCard each implement it. A row that cannot be read is yielded with its error (it fails alone);
 * only an unreadable stream as a whole throws (a CSV header without the external id column).
 */
export type RowParser = (input: Readable, options: ParseOptions) => AsyncIterable<ParsedRow>;

/** The longest line or record read (bytes): an unclosed quote or a file without newlines never fills memory. */
export const MAX_RECORD_BYTES = 1024 * 1024;
