import { Transform, type TransformCallback } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { DomainError } from '@crm/contracts';
import { mapRow } from './map-row';
import { MAX_RECORD_BYTES, type ParsedRow, type RowParser } from './row-parser';

/** Errors after which csv-parse reads no further: the rest of the file fails from the line after the last record read. */
const FATAL = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

/**
 * CSV (RFC 4180, a header line naming the columns) with csv-parse, streamed. A UTF-8 BOM is
 * dropped; fields are read as latin1 (a character per byte: strings, where bytes cost a Uint8Array
 * and its own backing store per cell) and decoded strictly, so invalid UTF-8 fails that row only; a
 * row with another number of fields than the header fails alone with its line; an unclosed quote
 * (or a record over 1 MiB) fails the rest of the file from the line it starts on, the rows before
 * it stay. An empty cell is an absent field.
 */
export const parseCsv: RowParser = async function* (input, options) {
  const skipped: ParsedRow[] = [];
  let fatal: CsvError | undefined;
  let lastLine = 0;
  // csv-parse (7.0.3) counts a CRLF inside a quoted field as two lines, so every line number after
  // such a field would be one too high. The fields keep their CRLFs as they are: each is counted
  // back, in the order csv-parse reads the records (on_record and on_skip run as it parses).
  let extraLines = 0;
  const lineOf = (lines: unknown, fields: unknown) => Number(lines) - (extraLines += crlfsIn(fields));
  // The BOM is dropped here, not by csv-parse: its BOM detection switches it to decoding fields
  // itself (invalid bytes becoming U+FFFD), where each field must reach the strict decoder as its bytes.
  const parser = input.pipe(new DropBom()).pipe(
    parse({
      bom: false,
      encoding: 'latin1',
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: MAX_RECORD_BYTES,
      skip_records_with_error: true,
      // With `info: true` csv-parse hands on_record (and the reader) `{ record, info }`, not the fields its types say.
      on_record: (fields) => {
        const parsed = fields as unknown as ParsedRecord;
        parsed.line = lineOf(parsed.info.lines, parsed.record);
        return fields;
      },
      on_skip: (error) => {
        if (!error) return;
        if (FATAL.has(error.code)) return void (fatal = error);
        const line = lineOf(error.lines, error.record);
        lastLine = Math.max(lastLine, line);
        skipped.push({ line, error: describe(error) });
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let header: string[] | undefined;
  for await (const { record, line } of parser as AsyncIterable<Required<ParsedRecord>>) {
    lastLine = Math.max(lastLine, line);
    if (!header) {
      header = readHeader(record, decoder, options.externalIdField);
      continue;
    }
    yield* drain(skipped);
    yield toRow(line, header, record, decoder, options);
  }
  yield* drain(skipped);
  if (!header && !fatal) throw new DomainError('VALIDATION_FAILED', 'the file is empty: a CSV upload starts with a header line naming its columns');
  if (fatal) {
    const from = lastLine + 1;
    yield {
      line: from,
      error: `${fatal.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field opened here is never closed' : 'a record longer than 1 MiB starts here'}: this line and the rest of the file were not read`,
    };
  }
};

/** A record as csv-parse hands it on with `info: true`, and its line as counted here. */
interface ParsedRecord {
  record: string[];
  info: { lines: number };
  line?: number;
}

/** How many CRLFs the fields of a record hold (each inside a quoted field). */
function crlfsIn(fields: unknown): number {
  if (!Array.isArray(fields)) return 0;
  let count = 0;
  for (const field of fields) {
    if (typeof field !== 'string') continue;
    for (let at = field.indexOf('\r\n'); at !== -1; at = field.indexOf('\r\n', at + 2)) count++;
  }
  return count;
}

function* drain(rows: ParsedRow[]): Generator<ParsedRow> {
  while (rows.length > 0) yield rows.shift() as ParsedRow;
}

function describe(error: CsvError): string {
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return `wrong number of fields: ${error.message.replace(/^Invalid Record Length: /, '')}`;
  return error.message;
}

function readHeader(fields: string[], decoder: InstanceType<typeof TextDecoder>, externalIdField: string): string[] {
  let header: string[];
  try {
    header = fields.map((field) => utf8Of(field, decoder).trim());
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'the header line is not valid UTF-8');
  }
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) throw new DomainError('VALIDATION_FAILED', `the header names the column "${duplicate}" twice`);
  if (!header.includes(externalIdField))
    throw new DomainError('VALIDATION_FAILED', `the header has no column "${externalIdField}" (the job's externalIdField)`);
  return header;
}

function toRow(line: number, header: string[], fields: string[], decoder: InstanceType<typeof TextDecoder>, options: Parameters<RowParser>[1]): ParsedRow {
  const source: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    try {
      source[header[i]] = utf8Of(fields[i], decoder);
    } catch {
      return { line, error: `invalid UTF-8 in column "${header[i]}"` };
    }
  }
  return mapRow(line, source, options, true);
}

/** A latin1 string holds only U+0000-U+00FF: a character over 0x7f is a byte that ASCII does not have. */
const NON_ASCII = /[\x80-\xff]/;

/**
 * A field read as latin1 (one character per byte) decoded strictly as UTF-8. ASCII is the same in
 * both, so only a field with a byte over 0x7f is turned back into bytes and decoded.
 */
function utf8Of(latin1: string, decoder: InstanceType<typeof TextDecoder>): string {
  return NON_ASCII.test(latin1) ? decoder.decode(Buffer.from(latin1, 'latin1')) : latin1;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Drops a UTF-8 byte order mark at the start of a byte stream, whatever its chunks. */
class DropBom extends Transform {
  private head: Buffer | null = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.head === null) return callback(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < BOM.length && BOM.subarray(0, this.head.length).equals(this.head)) return callback();
    const rest = this.head.subarray(0, 3).equals(BOM) ? this.head.subarray(3) : this.head;
    this.head = null;
    callback(null, rest);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.head && this.head.length > 0 ? this.head : undefined);
  }
}
