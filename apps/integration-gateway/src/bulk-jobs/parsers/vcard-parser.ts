import ICAL from 'ical.js';
import { readLines } from './lines';
import { MAX_RECORD_BYTES, type ParseOptions, type ParsedRow, type RowParser } from './row-parser';

/**
 * vCard 3.0 and 4.0 (RFC 2426, RFC 6350) with ical.js, streamed card by card: each
 * BEGIN:VCARD … END:VCARD block is parsed on its own, so a malformed card (a line without a
 * value, a card never ended, invalid UTF-8, text outside any card) fails alone with the line it
 * starts on. A card becomes a contact's fields (N / FN → firstName and lastName, TITLE, EMAIL,
 * TEL, ADR, CATEGORIES → tags); its external id is the property `externalIdField` names (`uid`,
 * or an `x-…` property), and the column mapping may add other single-valued properties
 * (`{ "x-stage": "lifecycleStage" }`).
 */
export const parseVcard: RowParser = async function* (input, options) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let card: { start: number; lines: string[]; bytes: number; error?: string } | undefined;
  for await (const { line, bytes } of readLines(input)) {
    let text: string | undefined;
    try {
      text = bytes === null ? undefined : decoder.decode(bytes);
    } catch {
      text = undefined;
    }
    const problem = bytes === null ? `line ${line} is longer than 1 MiB` : text === undefined ? `invalid UTF-8 at line ${line}` : undefined;
    const upper = text?.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (card) yield { line: card.start, error: `the vCard is not ended (END:VCARD) before line ${line}` };
      card = { start: line, lines: [text as string], bytes: 0 };
      continue;
    }
    if (!card) {
      if (problem) yield { line, error: problem };
      else if (upper !== '') yield { line, error: 'text outside a vCard (BEGIN:VCARD … END:VCARD)' };
      continue;
    }
    if (problem) card.error ??= problem;
    else card.lines.push(text as string);
    card.bytes += bytes?.length ?? MAX_RECORD_BYTES;
    if (card.bytes > MAX_RECORD_BYTES) card.error ??= 'the vCard is longer than 1 MiB';
    if (card.error) card.lines = [];
    if (upper === 'END:VCARD') {
      yield card.error ? { line: card.start, error: card.error } : readCard(card.start, card.lines.join('\r\n'), options);
      card = undefined;
    }
  }
  if (card) yield { line: card.start, error: 'the vCard is not ended (END:VCARD) at the end of the file' };
};

function readCard(line: number, text: string, options: ParseOptions): ParsedRow {
  let component: ICAL.Component;
  try {
    component = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    return { line, error: `invalid vCard: ${(error as Error).message}` };
  }
  const version = String(component.getFirstPropertyValue('version') ?? '');
  if (version !== '3.0' && version !== '4.0') return { line, error: `unsupported vCard version "${version}" (3.0 or 4.0)` };
  const single = (name: string): string | undefined => {
    const value = component.getFirstPropertyValue(name);
    if (value === null || value === undefined) return undefined;
    const text = (Array.isArray(value) ? value.join(' ') : String(value)).trim();
    return text === '' ? undefined : text;
  };
  const externalId = single(options.externalIdField.toLowerCase());
  if (!externalId) return { line, error: `no external id (${options.externalIdField})` };
  if (externalId.length > 200) return { line, error: 'the external id is longer than 200 characters' };

  const record: Record<string, unknown> = {};
  const n = component.getFirstPropertyValue('n') as unknown;
  const parts = Array.isArray(n) ? n.map((part) => (Array.isArray(part) ? part.join(' ') : String(part ?? '')).trim()) : [];
  const [family, given] = parts;
  const fullName = single('fn');
  if (given) {
    record['firstName'] = given;
    if (family) record['lastName'] = family;
  } else if (fullName ?? family) {
    record['firstName'] = fullName ?? family;
  }
  const title = single('title');
  if (title) record['title'] = title;
  const emails = component.getAllProperties('email').map((property) => withLabel({ address: String(property.getFirstValue() ?? '').trim() }, property));
  if (emails.length > 0) record['emails'] = emails;
  const phones = component.getAllProperties('tel').map((property) =>
    withLabel(
      {
        number: String(property.getFirstValue() ?? '')
          .replace(/^tel:/i, '')
          .trim(),
      },
      property,
    ),
  );
  if (phones.length > 0) record['phones'] = phones;
  const addresses = component.getAllProperties('adr').map((property) => {
    const value = property.getFirstValue() as unknown;
    const [, extended, street, city, region, postalCode, country] = (Array.isArray(value) ? value : []).map((part: unknown) =>
      (Array.isArray(part) ? part.join(' ') : String(part ?? '')).trim(),
    );
    const address = Object.fromEntries(
      Object.entries({ street: [street, extended].filter(Boolean).join(', '), city, region, postalCode, country }).filter(([, v]) => v),
    );
    return withLabel(address, property);
  });
  if (addresses.length > 0) record['addresses'] = addresses;
  const tags = component.getAllProperties('categories').flatMap((property) =>
    property
      .getValues()
      .map((value) => String(value).trim())
      .filter(Boolean),
  );
  if (tags.length > 0) record['tags'] = tags;
  for (const [property, field] of Object.entries(options.columnMapping)) {
    const value = single(property.toLowerCase());
    if (value !== undefined && field !== '') record[field] = value;
  }
  return { line, externalId, record };
}

/** The first TYPE that is a label (not `pref`, `internet`, `voice`…), lower-cased, as the contact's label. */
function withLabel<T extends Record<string, unknown>>(value: T, property: ICAL.Property): T & { label?: string } {
  const raw = property.getParameter('type') as unknown;
  const types = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((type) => String(type).toLowerCase());
  const label = types.find((type) => !['pref', 'internet', 'voice', 'x400', 'text', 'uri'].includes(type));
  return label ? { ...value, label: label.slice(0, 32) } : value;
}
