import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import { Client, QueryResult } from 'pg';
import { createPipelinedReads } from './database-pool';
import { PipelinedReads } from './pipelined-reads';

const pidAndValue = (n: number) => ({ text: 'SELECT pg_backend_pid() AS pid, $1::int AS n', values: [n] });

async function terminate(url: string, pid: number): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('PipelinedReads', () => {
  let database: TestDatabase;
  let reads: PipelinedReads | undefined;

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'pipelined-reads' });
  });
  afterEach(async () => {
    await reads?.end();
    reads = undefined;
  });
  afterAll(async () => {
    await database.drop();
  });

  it('runs 200 concurrent reads on its 2 connections, each answered with its own rows', async () => {
    reads = createPipelinedReads({ url: database.url }, 2);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => reads!.query<{ pid: number; n: number }>(pidAndValue(n))));
    expect(answers.map((a) => a.rows[0].n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(new Set(answers.map((a) => a.rows[0].pid)).size).toBe(2);
  });

  it('sends a read to the connection with the fewest in flight: reads made while a slow one runs do not queue behind it', async () => {
    reads = createPipelinedReads({ url: database.url }, 2);
    const slow = reads.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid, pg_sleep(0.5)' });
    const quick: number[] = [];
    for (let n = 0; n < 20; n++) quick.push((await reads.query<{ pid: number }>(pidAndValue(n))).rows[0].pid);
    const slowPid = (await slow).rows[0].pid;
    expect(quick).toHaveLength(20);
    expect(quick.filter((pid) => pid === slowPid)).toEqual([]);
  });

  it('fails a statement that errs alone: the reads pipelined before and after it on the same connection are answered', async () => {
    reads = createPipelinedReads({ url: database.url }, 1);
    const results = await Promise.allSettled([
      reads.query<{ n: number }>(pidAndValue(1)),
      reads.query<{ n: number }>({ text: 'SELECT 1 / $1::int AS n', values: [0] }),
      reads.query<{ n: number }>(pidAndValue(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/division by zero/);
    expect((results[2] as PromiseFulfilledResult<QueryResult<{ n: number }>>).value.rows[0].n).toBe(3);
  });

  it('replaces a connection the server ended: the next reads open another, and the lost one does not end the process', async () => {
    reads = createPipelinedReads({ url: database.url }, 1);
    const before = (await reads.query<{ pid: number }>(pidAndValue(1))).rows[0].pid;
    await terminate(database.url, before);
    let after: number | undefined;
    let failures = 0;
    for (let waited = 0; after === undefined && waited < 5_000; waited += 20) {
      try {
        after = (await reads.query<{ pid: number }>(pidAndValue(2))).rows[0].pid;
      } catch {
        failures++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(failures).toBeLessThanOrEqual(1);
  });

  it('ends its connections and refuses reads after', async () => {
    reads = createPipelinedReads({ url: database.url }, 2);
    const pid = (await reads.query<{ pid: number }>(pidAndValue(1))).rows[0].pid;
    await reads.end();
    await expect(reads.query(pidAndValue(2))).rejects.toThrow(/ended/);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      for (let waited = 0; waited < 5_000; waited += 20) {
        const open = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
        if (open.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => new PipelinedReads({}, 0)).toThrow(/positive integer/);
  });
});
