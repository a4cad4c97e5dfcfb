import type { Readable } from 'node:stream';

/** One row of an uploaded file: its line (1-based, the first data line of a CSV is 2), its fields or why it could not be read. */
export type ParsedRow =
  | { line: number; record: Record<string, unknown>; error?: undefined }
  | { line: number; record?: undefined; error: string };

export interface ParseOptions {
  /** The upload's column (CSV) or property (NDJSON) → the object's field; absent: the same name. */
  columnMapping: Record<string, string>;
}

/**
 * Reads an upload as a stream and yields its rows one by one, never holding the file: CSV, NDJSON
 * and vCard each implement it. A row that cannot be read is yielded with its error (it fails alone);
 * only an unreadable stream as a whole throws.
 */
export type RowParser = (input: Readable, options: ParseOptions) => AsyncIterable<ParsedRow>;
