import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import { ClsModule } from 'nestjs-cls';
import { Socket } from 'node:net';
import { Client, Pool } from 'pg';
import { PgSqlClient, pgTransactions, TransactionalAdapterPg, TransactionExpiredError } from './pg-transactions';

let url: string;

@Injectable()
class TestPool {
  // Pipelined, as the services' DatabasePool is.
  readonly pool: Pool = new Pool({ connectionString: url, max: 2, pipeline: true });
}

@Global()
@Module({ providers: [TestPool], exports: [TestPool] })
class TestPoolModule {}

/** TransactionalAdapterPg against a real database: commit, rollback, its timeout and maxWait, and transactions of their own. */
describe('pg transactions (TransactionalAdapterPg)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let txHost: TransactionHost<TransactionalAdapterPg>;
  let pool: Pool;

  const sql = () => txHost.tx as PgSqlClient;
  const bodies = async () => (await pool.query<{ body: string }>('SELECT body FROM note ORDER BY body')).rows.map((r) => r.body);

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'pgtx' });
    url = database.url;
    app = await Test.createTestingModule({
      imports: [TestPoolModule, ClsModule.forRoot({ global: true, plugins: [pgTransactions(TestPool, [TestPoolModule])] })],
    }).compile();
    await app.init();
    txHost = app.get(TransactionHost);
    pool = app.get(TestPool).pool;
    await pool.query('CREATE TABLE note (body text PRIMARY KEY)');
  });

  afterEach(() => pool.query('TRUNCATE note'));

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await database?.drop();
  });

  it('commits what the callback wrote, on one connection, and answers its result', async () => {
    const result = await txHost.withTransaction(async () => {
      const [{ pid: first }] = await sql().$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      expect(await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1), ($2)', 'a', 'b')).toBe(2);
      // Not visible outside before the commit.
      expect((await pool.query('SELECT 1 FROM note')).rowCount).toBe(0);
      const [{ pid: second }] = await sql().$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      expect(second).toBe(first);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await bodies()).toEqual(['a', 'b']);
  });

  it('rolls back when the callback throws, and hands the error on', async () => {
    const failed = txHost
      .withTransaction(async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'lost');
        throw new Error('the work failed');
      })
      .catch((error: unknown) => error);
    expect(await failed).toMatchObject({ message: 'the work failed' });
    expect(await bodies()).toEqual([]);
    // The connection went back clean: the next transaction commits.
    await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'kept'));
    expect(await bodies()).toEqual(['kept']);
  });

  it('withCommit: a statement that fails rolls the transaction back and is its error', async () => {
    await pool.query(`INSERT INTO note (body) VALUES ('taken')`);
    const failed = txHost
      .withTransaction(async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'work');
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['taken']);
      })
      .catch((error: unknown) => error);
    expect(await failed).toMatchObject({ code: '23505', constraint: 'note_pkey' });
    expect(await bodies()).toEqual(['taken']);
    // The connection went back clean.
    await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'kept'));
    expect(await bodies()).toEqual(['kept', 'taken']);
  });

  it('withCommit: several statements run in the order given; a statement run later sends them first', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS line (n serial PRIMARY KEY, body text, note text)');
    await pool.query('TRUNCATE line RESTART IDENTITY');
    await txHost.withTransaction(async () => {
      sql().withCommit('INSERT INTO line (body, note) VALUES ($1, $2)', ['first', null]);
      sql().withCommit('INSERT INTO line (body, note) VALUES ($1, $2)', ['second', 'x']);
      // Run before this read, inside the transaction: visible to it, not outside.
      expect(await sql().$queryRawUnsafe<unknown[]>('SELECT 1 FROM line')).toHaveLength(2);
      expect((await pool.query('SELECT 1 FROM line')).rowCount).toBe(0);
      await sql().$executeRawUnsafe('INSERT INTO line (body, note) VALUES ($1, $2)', 'third', 'y');
      sql().withCommit('INSERT INTO line (body, note) VALUES ($1, $2)', ['fourth', null]);
    });
    const rows = (await pool.query<{ body: string; note: string | null }>('SELECT body, note FROM line ORDER BY n')).rows;
    expect(rows).toEqual([
      { body: 'first', note: null },
      { body: 'second', note: 'x' },
      { body: 'third', note: 'y' },
      { body: 'fourth', note: null },
    ]);
  });

  it('sends what goes together in one socket write: the BEGIN with the first statement, what waited for the COMMIT with it', async () => {
    // A socket write is a syscall and a wake-up of the server: one per statement cost more CPU than the statements.
    const writes = [jest.spyOn(Socket.prototype, '_write'), jest.spyOn(Socket.prototype, '_writev')];
    const count = () => writes.reduce((n, spy) => n + spy.mock.calls.length, 0);
    try {
      await txHost.withTransaction(async () => {
        expect(await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'first')).toBe(1);
        expect(count()).toBe(1);
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['second']);
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['third']);
      });
      expect(count()).toBe(2);
      expect(await bodies()).toEqual(['first', 'second', 'third']);
    } finally {
      writes.forEach((spy) => spy.mockRestore());
    }
  });

  it('opens the transaction only when needed: no round trip for a transaction that ran nothing, one round trip for one whose statements all wait for the COMMIT', async () => {
    const sent = jest.spyOn(Client.prototype, 'query');
    const texts = () => sent.mock.calls.map(([config]) => (typeof config === 'string' ? config : (config as { text: string }).text));
    const insert = 'INSERT INTO note (body) VALUES ($1)';
    try {
      expect(await txHost.withTransaction(async () => 'nothing to do')).toBe('nothing to do');
      expect(texts()).toEqual([]);

      // One deferred write and nothing else: atomic by itself, sent alone.
      await txHost.withTransaction(async () => sql().withCommit(insert, ['deferred']));
      expect(texts()).toEqual([insert]);
      expect(await bodies()).toEqual(['deferred']);

      sent.mockClear();
      await txHost.withTransaction(async () => {
        sql().withCommit(insert, ['deferred 1']);
        sql().withCommit(insert, ['deferred 2']);
      });
      expect(texts()).toEqual([expect.stringMatching(/^BEGIN; SET LOCAL statement_timeout = \d+$/), insert, insert, 'COMMIT']);

      sent.mockClear();
      await txHost.withTransaction(() => sql().$executeRawUnsafe(insert, 'direct'));
      expect(texts()).toEqual([expect.stringMatching(/^BEGIN; SET LOCAL/), insert, 'COMMIT']);

      // All deferred, and failing: rolled back, the connection clean.
      sent.mockClear();
      const failed = txHost
        .withTransaction(async () => {
          sql().withCommit(insert, ['new']);
          sql().withCommit(insert, ['direct']);
        })
        .catch((error: unknown) => error);
      expect(await failed).toMatchObject({ code: '23505' });
      expect(texts()).toEqual([expect.stringMatching(/^BEGIN; SET LOCAL/), insert, insert, 'COMMIT', 'ROLLBACK']);
      // The lone deferred write failing: its error is the transaction's, and there is nothing to roll back.
      sent.mockClear();
      const alone = txHost.withTransaction(async () => sql().withCommit(insert, ['direct'])).catch((error: unknown) => error);
      expect(await alone).toMatchObject({ code: '23505' });
      expect(texts()).toEqual([insert]);
      await txHost.withTransaction(() => sql().$executeRawUnsafe(insert, 'kept'));
      expect(await bodies()).toEqual(['deferred', 'deferred 1', 'deferred 2', 'direct', 'kept']);
    } finally {
      sent.mockRestore();
    }
  });

  it('sends the first statement behind the BEGIN without waiting for its answer (one round trip fewer); the COMMIT after the statement is answered', async () => {
    const send = Client.prototype.query;
    let beginAnswered = false;
    const sent: { text: string; beginAnswered: boolean }[] = [];
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const result = (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      sent.push({ text, beginAnswered });
      if (text.startsWith('BEGIN')) void result.then(() => (beginAnswered = true));
      return result;
    } as never);
    try {
      await txHost.withTransaction(async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'first');
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'second');
      });
    } finally {
      spy.mockRestore();
    }
    expect(sent).toEqual([
      { text: expect.stringMatching(/^BEGIN; SET LOCAL/), beginAnswered: false },
      { text: 'INSERT INTO note (body) VALUES ($1)', beginAnswered: false },
      { text: 'INSERT INTO note (body) VALUES ($1)', beginAnswered: true },
      { text: 'COMMIT', beginAnswered: true },
    ]);
    expect(await bodies()).toEqual(['first', 'second']);
  });

  it('withCommit: a parameterised statement goes with the COMMIT (sent before either is answered), in order with direct statements', async () => {
    const send = Client.prototype.query;
    const sent: { text: string; answered: string[] }[] = [];
    const answered: string[] = [];
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const result = (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      sent.push({ text, answered: [...answered] });
      void result.then(() => answered.push(text)).catch(() => undefined);
      return result;
    } as never);
    try {
      await txHost.withTransaction(async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'a');
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['b']);
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['c']);
      });
    } finally {
      spy.mockRestore();
    }
    const insert = 'INSERT INTO note (body) VALUES ($1)';
    expect(sent.map(({ text }) => text)).toEqual([expect.stringMatching(/^BEGIN; SET LOCAL/), insert, insert, insert, 'COMMIT']);
    // The withCommit statements and the COMMIT were all sent before the first of them was answered: one round trip.
    expect(sent[3].answered).toEqual(sent[2].answered);
    expect(sent[4].answered).toEqual(sent[2].answered);
    expect(await bodies()).toEqual(['a', 'b', 'c']);
  });

  it("withCommit: a statement run later sends them first (it sees their writes); a failure is the transaction's, with its own error, and nothing is kept", async () => {
    await txHost.withTransaction(async () => {
      sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['x']);
      sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['w']);
      expect(await sql().$queryRawUnsafe<{ body: string }[]>('SELECT body FROM note ORDER BY body')).toEqual([{ body: 'w' }, { body: 'x' }]);
    });
    const failed = txHost
      .withTransaction(async () => {
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['y']);
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['x']);
        sql().withCommit('INSERT INTO note (body) VALUES ($1)', ['z']);
      })
      .catch((error: unknown) => error);
    expect(await failed).toMatchObject({ code: '23505' });
    await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'kept'));
    expect(await bodies()).toEqual(['kept', 'w', 'x']);
    expect(() => sql().withCommit('SELECT 1', [])).toThrow('withCommit needs a transaction');
  });

  it('rolls back when the first statement (sent behind the BEGIN) fails, and the connection goes back clean', async () => {
    await pool.query(`INSERT INTO note (body) VALUES ('taken')`);
    const failed = txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'taken')).catch((error: unknown) => error);
    expect(await failed).toMatchObject({ code: '23505' });
    await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'kept'));
    expect(await bodies()).toEqual(['kept', 'taken']);
  });

  it('runs outside a transaction on the pool (each statement on its own)', async () => {
    await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'direct');
    expect(await bodies()).toEqual(['direct']);
  });

  it('ends a transaction that outlives its timeout: a statement running past it is cancelled, a later one refused, nothing committed', async () => {
    const slow = txHost
      .withTransaction({ timeout: 300 }, async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'slow');
        await sql().$queryRawUnsafe('SELECT pg_sleep(2)');
      })
      .catch((error: unknown) => error);
    expect(await slow).toMatchObject({ code: '57014' }); // query_canceled by statement_timeout
    const late = txHost
      .withTransaction({ timeout: 200 }, async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'late');
        await new Promise((resolve) => setTimeout(resolve, 400));
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'later');
      })
      .catch((error: unknown) => error);
    expect(await late).toBeInstanceOf(TransactionExpiredError);
    expect(await bodies()).toEqual([]);
  });

  it('gives up waiting for a connection after maxWait, and the pool is whole afterwards', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Both connections of the pool taken by transactions that wait.
    const holders = [1, 2].map(() => txHost.withTransaction(() => held));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = txHost.withTransaction({ maxWait: 150 }, () => sql().$executeRawUnsafe('SELECT 1')).catch((error: unknown) => error);
    expect(await waiting).toMatchObject({ message: 'no database connection free within 150 ms' });
    release();
    await Promise.all(holders);
    await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'after'));
    expect(await bodies()).toEqual(['after']);
    expect(pool.totalCount).toBeLessThanOrEqual(2);
  });

  it('joins the open transaction from a nested call quietly (no "options are ignored" warning per call)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await txHost.withTransaction(async () => {
        await txHost.withTransaction(() => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'nested'));
      });
      expect(warn).not.toHaveBeenCalled();
      expect(await bodies()).toEqual(['nested']);
    } finally {
      warn.mockRestore();
    }
  });

  it('commits a transaction of its own (Propagation.RequiresNew) even when the outer one rolls back', async () => {
    const outer = txHost
      .withTransaction(async () => {
        await sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'outer');
        await txHost.withTransaction(Propagation.RequiresNew, () => sql().$executeRawUnsafe('INSERT INTO note (body) VALUES ($1)', 'inner'));
        throw new Error('outer fails');
      })
      .catch((error: unknown) => error);
    expect(await outer).toMatchObject({ message: 'outer fails' });
    expect(await bodies()).toEqual(['inner']);
  });
});
