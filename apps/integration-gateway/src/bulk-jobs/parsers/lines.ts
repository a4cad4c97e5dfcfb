import type { Readable } from 'node:stream';
import { MAX_RECORD_BYTES } from './row-parser';

/** A line of an upload as bytes (without its `\n` / `\r\n`), or `null` when it is longer than MAX_RECORD_BYTES. */
export interface RawLine {
  line: number;
  bytes: Buffer | null;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a byte stream into lines without decoding it (each line is decoded strictly on its own,
 * so invalid UTF-8 fails that line only), holding at most one line: a longer one is skipped and
 * reported as `null`. A UTF-8 BOM at the start is dropped.
 */
export async function* readLines(input: Readable): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 0;
  let first = true;
  const take = (): RawLine => {
    line++;
    let bytes: Buffer | null = tooLong ? null : Buffer.concat(parts, length);
    if (bytes && first && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    if (bytes && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    first = false;
    parts = [];
    length = 0;
    tooLong = false;
    return { line, bytes };
  };
  const append = (chunk: Buffer) => {
    if (tooLong || chunk.length === 0) return;
    if (length + chunk.length > MAX_RECORD_BYTES) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(chunk);
    length += chunk.length;
  };
  for await (const data of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        append(chunk.subarray(start));
        break;
      }
      append(chunk.subarray(start, newline));
      yield take();
      start = newline + 1;
    }
  }
  if (length > 0 || tooLong) yield take();
}
