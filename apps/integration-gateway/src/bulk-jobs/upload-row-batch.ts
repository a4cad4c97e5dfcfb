import type { ParsedRow } from './parsers/row-parser';

const INITIAL_BYTES = 256 * 1024;

/**
 * An upload's rows on their way to bulk_job_row, written as a JSON array into one byte buffer as
 * they are parsed and sent as a single bytea parameter. Why not an array of row objects and one
 * JSON.stringify per statement: held for a whole batch, the parsed rows outlive V8's young
 * generation and are promoted, and the batch's JSON (~250 KB for 1,000 rows) is a large object;
 * both stay as garbage in the old generation until a full collection, and a 100 MB upload grew the
 * process by 30 to 200 MiB from run to run. Here each row is garbage as soon as it is written, and
 * the bytes live outside the JS heap in a buffer reused by every batch of the upload.
 */
export class UploadRowBatch {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  /** Rows written since the last `clear()`. */
  rows = 0;

  add(row: ParsedRow): void {
    const json = JSON.stringify({
      line: row.line,
      external_id: row.externalId ?? null,
      record: row.error === undefined ? row.record : null,
      parse_error: row.error ?? null,
    });
    // Room for the separator, the row (at most 3 bytes per UTF-16 unit) and the closing bracket.
    this.reserve(json.length * 3 + 2);
    this.buffer[this.length++] = this.rows === 0 ? 0x5b /* [ */ : 0x2c /* , */;
    this.length += this.buffer.write(json, this.length);
    this.rows++;
  }

  /** The batch as UTF-8 JSON (a view of the buffer: valid until the next `add` or `clear`). */
  json(): Buffer {
    if (this.rows === 0) return Buffer.from('[]');
    this.buffer[this.length] = 0x5d; // ]
    return this.buffer.subarray(0, this.length + 1);
  }

  clear(): void {
    this.length = 0;
    this.rows = 0;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
