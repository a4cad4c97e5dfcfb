import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A message of the MIME corpus (src/email-in/fixtures), its `{{placeholders}}` filled in (bytes kept as they are). */
export function mimeFixture(name: string, values: Record<string, string | number> = {}): Buffer {
  const text = readFileSync(join(__dirname, '..', 'email-in', 'fixtures', name), 'latin1');
  return Buffer.from(
    text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key]))),
    'latin1',
  );
}

/** The fixture with its Message-ID made unique: each use is a new email, not a redelivery of the last. */
export function freshMimeFixture(name: string, values: Record<string, string | number> = {}): Buffer {
  const text = mimeFixture(name, values).toString('latin1');
  return Buffer.from(text.replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <${randomUUID()}-$1>`), 'latin1');
}
