import { readLines } from './lines';
import { mapRow } from './map-row';
import type { RowParser } from './row-parser';

/**
 * NDJSON: one JSON object per line, streamed line by line. Blank lines are skipped; a line that is
 * not valid UTF-8, not JSON or not an object fails alone with its line number.
 */
export const parseNdjson: RowParser = async function* (input, options) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const { line, bytes } of readLines(input)) {
    if (bytes === null) {
      yield { line, error: 'the line is longer than 1 MiB' };
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      yield { line, error: 'invalid UTF-8' };
      continue;
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, error: `invalid JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, error: 'each line must be a JSON object' };
      continue;
    }
    yield mapRow(line, value as Record<string, unknown>, options);
  }
};
