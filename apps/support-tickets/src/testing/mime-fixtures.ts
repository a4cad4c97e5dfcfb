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
