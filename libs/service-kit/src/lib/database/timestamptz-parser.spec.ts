import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import { Pool, types } from 'pg';
import { parseTimestamptz } from './timestamptz-parser';
import { createDatabasePool } from './database-pool';

const postgresDate = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number;

describe('timestamptz parsing', () => {
  it('reads what a UTC session prints as pg own parser does, for every fraction length', () => {
    const printed = [
      '2026-12-04 19:15:19+00',
      '2026-12-04 19:15:19.1+00',
      '2026-12-04 19:15:19.12+00',
      '2026-12-04 19:15:19.123+00',
      '2026-12-04 19:15:19.123456+00',
      '1999-12-31 23:59:59.999999+00',
      '2024-02-29 00:00:00.000001+00',
      '0100-01-01 00:00:00+00',
      '9999-12-31 23:59:59.9+00',
    ];
    for (const text of printed) expect(parseTimestamptz(text).toISOString()).toBe((postgresDate(text) as Date).toISOString());
  });

  it('hands any other shape to pg own parser', () => {
    for (const text of [
      '2026-12-04 20:15:19.5+01',
      '2026-12-04 14:45:19-04:30',
      '0044-03-15 12:00:00+00',
      '0001-01-01 00:00:00+00 BC',
      '12026-01-01 00:00:00+00',
    ]) {
      expect(parseTimestamptz(text)).toEqual(postgresDate(text));
    }
    expect(parseTimestamptz('infinity')).toBe(Infinity);
  });

  describe('on the pool', () => {
    let database: TestDatabase;
    let pool: Pool;
    beforeAll(async () => {
      database = await createEmptyTestDatabase({ key: 'timestamptz' });
      pool = createDatabasePool({ url: database.url, max: 1 });
    });
    afterAll(async () => {
      await pool.end();
      await database.drop();
    });

    it('gives the instants Postgres holds, whatever the session time zone', async () => {
      const sql = `SELECT t, extract(epoch FROM t) * 1000 AS ms FROM (VALUES ('2026-12-04 19:15:19.123456+00'::timestamptz), ('1970-01-01 00:00:00+00'), ('2024-02-29 23:59:59.999+00')) v(t)`;
      const client = await pool.connect();
      try {
        for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns']) {
          await client.query(`SET TIME ZONE '${zone}'`);
          const { rows } = await client.query<{ t: Date; ms: string }>(sql);
          expect(rows.map((row) => row.t.getTime())).toEqual(rows.map((row) => Math.trunc(Number(row.ms))));
        }
      } finally {
        await client.query('RESET TIME ZONE');
        client.release();
      }
    });
  });
});
