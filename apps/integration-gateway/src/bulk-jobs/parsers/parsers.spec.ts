import { Readable } from 'node:stream';
import { parseCsv } from './csv-parser';
import { parseNdjson } from './ndjson-parser';
import type { ParsedRow, ParseOptions, RowParser } from './row-parser';
import { parseVcard } from './vcard-parser';

/** The file in chunks of `size` bytes, as a socket delivers it (rows and characters cut anywhere). */
function stream(content: string | Buffer, size = 7): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function rows(parser: RowParser, content: string | Buffer, options: Partial<ParseOptions> = {}): Promise<ParsedRow[]> {
  const all: ParsedRow[] = [];
  for await (const row of parser(stream(content), { externalIdField: 'id', columnMapping: {}, ...options })) all.push(row);
  return all.sort((a, b) => a.line - b.line);
}

describe('CSV rows', () => {
  it('reads a header and rows with their line numbers, drops a BOM, renames columns by the mapping and builds nested fields', async () => {
    const csv = '\ufeffid,First,email,note\r\nE1,Ada,ada@example.com,\r\n"E2","Grace ""G""","grace@example.com","two\nlines"\r\n';
    expect(await rows(parseCsv, csv, { columnMapping: { First: 'firstName', email: 'emails.0.address', note: '' } })).toEqual([
      { line: 2, externalId: 'E1', record: { firstName: 'Ada', emails: [{ address: 'ada@example.com' }] } },
      { line: 4, externalId: 'E2', record: { firstName: 'Grace "G"', emails: [{ address: 'grace@example.com' }] } },
    ]);
  });

  it('converts cells by the type their mapping names, failing a row whose cell does not convert', async () => {
    const csv = 'id,price,qty,active,tags,extra\nP1,9.95,3,yes,a; b,"{""x"":1}"\nP2,cheap,1,no,,null\n';
    const mapping = { price: 'unitPrice:number', qty: 'quantity:integer', active: 'active:boolean', tags: 'tags:list', extra: 'meta:json' };
    expect(await rows(parseCsv, csv, { columnMapping: mapping })).toEqual([
      { line: 2, externalId: 'P1', record: { unitPrice: 9.95, quantity: 3, active: true, tags: ['a', 'b'], meta: { x: 1 } } },
      { line: 3, externalId: 'P2', error: 'column price: "cheap" is not a number' },
    ]);
  });

  it('fails a row with the wrong number of columns alone, with its line', async () => {
    const result = await rows(parseCsv, 'id,firstName\nE1,Ada\nE2,Bob,extra\nE3,Cy\n');
    expect(result).toEqual([
      { line: 2, externalId: 'E1', record: { firstName: 'Ada' } },
      { line: 3, error: expect.stringContaining('wrong number of fields') },
      { line: 4, externalId: 'E3', record: { firstName: 'Cy' } },
    ]);
  });

  it('counts a line break inside a quoted field once, CRLF or LF, in the line numbers of every row after it', async () => {
    for (const eol of ['\r\n', '\n']) {
      const csv = ['id,note', `E1,"two${eol}lines"`, `E2,"three${eol}more${eol}lines",extra`, 'E3,x', `E4,"a${eol}b"`, 'E5,y', ''].join(eol);
      expect({ eol, rows: (await rows(parseCsv, csv)).map(({ line, externalId, error }) => ({ line, externalId, failed: error !== undefined })) }).toEqual({
        eol,
        rows: [
          { line: 3, externalId: 'E1', failed: false },
          { line: 6, externalId: undefined, failed: true },
          { line: 7, externalId: 'E3', failed: false },
          { line: 9, externalId: 'E4', failed: false },
          { line: 10, externalId: 'E5', failed: false },
        ],
      });
    }
  });

  it('fails the rest of the file from an unbalanced quote, keeping the rows before it', async () => {
    const result = await rows(parseCsv, 'id,firstName\nE1,Ada\nE2,"Bob\nE3,Cy\nE4,Dee\n');
    expect(result).toEqual([
      { line: 2, externalId: 'E1', record: { firstName: 'Ada' } },
      { line: 3, error: expect.stringContaining('never closed') },
    ]);
  });

  it('fails a row with invalid UTF-8 alone, and reads two-, three- and four-byte characters in names and cells', async () => {
    const bad = Buffer.concat([Buffer.from('id,firstName,Straße\nE1,Ada,\nE2,'), Buffer.from([0xc3, 0x28]), Buffer.from(',x\nE3,Zoë 日本 😀,Hauptstraße 1\n')]);
    expect(await rows(parseCsv, bad)).toEqual([
      { line: 2, externalId: 'E1', record: { firstName: 'Ada' } },
      { line: 3, error: 'invalid UTF-8 in column "firstName"' },
      { line: 4, externalId: 'E3', record: { firstName: 'Zoë 日本 😀', Straße: 'Hauptstraße 1' } },
    ]);
  });

  it('fails a row without an external id alone', async () => {
    expect(await rows(parseCsv, 'id,firstName\n,Ada\nE2,Bob\n')).toEqual([
      { line: 2, error: 'no external id (id)' },
      { line: 3, externalId: 'E2', record: { firstName: 'Bob' } },
    ]);
  });

  it('refuses a file whose header lacks the external id column, or that is empty', async () => {
    await expect(rows(parseCsv, 'sku,firstName\nE1,Ada\n')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('no column "id"'),
    });
    await expect(rows(parseCsv, '')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('NDJSON rows', () => {
  it('reads one object a line; bad JSON, non-objects and invalid UTF-8 fail alone; blank lines are skipped', async () => {
    const ndjson = Buffer.concat([
      Buffer.from('\ufeff{"id":"E1","firstName":"Ada"}\n{"id":"E2",\n[1,2]\n\n{"id":"E3","name":"'),
      Buffer.from([0xff]),
      Buffer.from('"}\r\n{"id":7,"firstName":"Bob"}'),
    ]);
    expect(await rows(parseNdjson, ndjson)).toEqual([
      { line: 1, externalId: 'E1', record: { firstName: 'Ada' } },
      { line: 2, error: expect.stringContaining('invalid JSON') },
      { line: 3, error: 'each line must be a JSON object' },
      { line: 5, error: 'invalid UTF-8' },
      { line: 6, externalId: '7', record: { firstName: 'Bob' } },
    ]);
  });
});

describe('vCard rows', () => {
  const v3 = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'N:Doe;John;;;',
    'FN:John Doe',
    'EMAIL;TYPE=INTERNET,WORK:john@example.com',
    'TEL;TYPE=CELL:+1 555 1234',
    'ADR;TYPE=HOME:;;1 Main St;Springfield;IL;62701;USA',
    'TITLE:Buyer',
    'UID:crm-1',
    'X-STAGE:customer',
    'END:VCARD',
  ].join('\r\n');
  const v4 = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'FN:Jane Roe',
    'N:Roe;Jane;;;',
    'EMAIL;TYPE=home;PREF=1:jane@example.com',
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+33-1-23-45-67',
    'CATEGORIES:vip,erp',
    'UID:crm-2',
    'END:VCARD',
  ].join('\n');

  it('reads vCard 3.0 and 4.0 cards as contacts, the external id from UID and mapped X- properties', async () => {
    expect(await rows(parseVcard, `${v3}\r\n${v4}\n`, { externalIdField: 'uid', columnMapping: { 'X-STAGE': 'lifecycleStage' } })).toEqual([
      {
        line: 1,
        externalId: 'crm-1',
        record: {
          firstName: 'John',
          lastName: 'Doe',
          title: 'Buyer',
          emails: [{ address: 'john@example.com', label: 'work' }],
          phones: [{ number: '+1 555 1234', label: 'cell' }],
          addresses: [{ street: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'USA', label: 'home' }],
          lifecycleStage: 'customer',
        },
      },
      {
        line: 12,
        externalId: 'crm-2',
        record: {
          firstName: 'Jane',
          lastName: 'Roe',
          emails: [{ address: 'jane@example.com', label: 'home' }],
          phones: [{ number: '+33-1-23-45-67', label: 'cell' }],
          tags: ['vip', 'erp'],
        },
      },
    ]);
  });

  it('fails a malformed card alone: a line without a value, a card never ended, text outside a card, another version, no UID', async () => {
    const file = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN',
      'END:VCARD',
      'stray text',
      'BEGIN:VCARD',
      'VERSION:2.1',
      'FN:Old',
      'UID:old',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:No Id',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Good',
      'UID:good',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Cut',
    ].join('\n');
    expect(await rows(parseVcard, file, { externalIdField: 'uid' })).toEqual([
      { line: 1, error: expect.stringContaining('invalid vCard') },
      { line: 5, error: expect.stringContaining('outside a vCard') },
      { line: 6, error: expect.stringContaining('unsupported vCard version') },
      { line: 11, error: 'no external id (uid)' },
      { line: 15, externalId: 'good', record: { firstName: 'Good' } },
      { line: 20, error: expect.stringContaining('not ended') },
    ]);
  });

  it('fails a card with invalid UTF-8 alone', async () => {
    const file = Buffer.concat([
      Buffer.from('BEGIN:VCARD\nVERSION:4.0\nFN:'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('\nUID:a\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Ok\nUID:b\nEND:VCARD\n'),
    ]);
    expect(await rows(parseVcard, file, { externalIdField: 'uid' })).toEqual([
      { line: 1, error: 'invalid UTF-8 at line 3' },
      { line: 6, externalId: 'b', record: { firstName: 'Ok' } },
    ]);
  });
});
