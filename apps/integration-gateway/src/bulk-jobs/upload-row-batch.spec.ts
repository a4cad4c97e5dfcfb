import { UploadRowBatch } from './upload-row-batch';

describe('UploadRowBatch', () => {
  const parse = (batch: UploadRowBatch) => JSON.parse(batch.json().toString('utf8')) as unknown[];

  it('writes rows as a JSON array of bulk_job_row columns, growing past its first buffer, and starts over after clear()', () => {
    const batch = new UploadRowBatch();
    expect(parse(batch)).toEqual([]);
    // ~4,000 rows of ~200 bytes with 2-, 3- and 4-byte characters: several times the first 256 KB.
    const expected: unknown[] = [];
    for (let line = 1; line <= 4_000; line++) {
      const record = { firstName: `Zoë ${line}`, lastName: '東京'.repeat(20), note: '🙂"\\'.repeat(10) };
      batch.add({ line, externalId: `E${line}`, record });
      expected.push({ line, external_id: `E${line}`, record, parse_error: null });
    }
    batch.add({ line: 4_001, error: 'wrong number of fields' });
    expected.push({ line: 4_001, external_id: null, record: null, parse_error: 'wrong number of fields' });
    expect(batch.rows).toBe(4_001);
    expect(parse(batch)).toEqual(expected);

    batch.clear();
    batch.add({ line: 9, externalId: 'only', record: { a: 1 } });
    expect(parse(batch)).toEqual([{ line: 9, external_id: 'only', record: { a: 1 }, parse_error: null }]);
  });
});
