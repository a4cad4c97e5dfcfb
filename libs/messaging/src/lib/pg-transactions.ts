import type { ModuleMetadata, Type } from '@nestjs/common';
import { ClsPluginTransactional, TransactionalAdapter } from '@nestjs-cls/transactional';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { SqlClient } from './outbox/sql-client';
import { preparedStatementName } from './statement-name';

/** What a transaction may be opened with: the names of Prisma's interactive-transaction options, which callers already pass. */
export interface PgTransactionOptions {
  /** The transaction is rolled back if it runs longer (ms); no statement of it runs longer either. */
  timeout?: number;
  /** How long to wait for a connection of the pool (ms). */
  maxWait?: number;
}

/** Prisma's interactive-transaction defaults, kept. */
const DEFAULTS = { timeout: 5_000, maxWait: 2_000 } satisfies Required<PgTransactionOptions>;

export class TransactionExpiredError extends Error {
  constructor(timeoutMs: number) {
    super(`the transaction ran longer than its ${timeoutMs} ms and was rolled back`);
    this.name = 'TransactionExpiredError';
  }
}

/**
 * Parameterised SQL on the pool or on a transaction's connection, as named prepared statements
 * (parsed and planned once per connection). The same two calls as Prisma's raw API, so the outbox,
 * the inbox and TransactionalKysely run on it unchanged; results are pg's (bigint as a string,
 * as on the pool outside transactions).
 */
export class PgSqlClient implements SqlClient {
  /** What waits for the COMMIT (withCommit), in the order given. */
  private readonly pending: { text: string; values: unknown[] }[] = [];
  /**
   * The BEGIN once sent. Every statement is sent after it on the same connection; on a pipelined
   * connection (DatabasePool's) without waiting for its answer, so a transaction's first statement
   * costs no round trip of its own. None can run outside the transaction: a BEGIN never fails
   * where the statement behind it would succeed (a broken connection fails both; a connection
   * left in an aborted transaction refuses both).
   */
  private begun?: Promise<unknown>;

  constructor(
    private readonly runner: Pick<Pool | PoolClient, 'query'>,
    private readonly checkOpen: () => void = () => undefined,
    /**
     * A transaction's client: what opens it (BEGIN and its settings). Sent before the first
     * statement, or with the COMMIT when every statement waited for it (withCommit); a
     * transaction that ran nothing costs no round trip at all.
     */
    private readonly beginSql?: string,
  ) {}

  private get inTransaction(): boolean {
    return this.beginSql !== undefined;
  }

  /** Whether the server has (or may have) a transaction open: what a rollback must end. */
  get started(): boolean {
    return this.begun !== undefined;
  }

  /**
   * Sends a parameterised statement (a named prepared statement, its values as parameters, as
   * statements run directly) right before the COMMIT, without waiting for its answer, so it costs
   * no round trip of its own: for a write whose result nobody reads and whose failure is the
   * transaction's. Postgres runs the statements in order and a failed one aborts the
   * transaction: the COMMIT then rolls it back, and the statement's error is the commit's. What
   * waits for the COMMIT keeps the order it was given in, also against statements run directly:
   * a statement run later sends it first.
   */
  withCommit(text: string, values: unknown[]): void {
    this.checkOpen();
    if (!this.inTransaction) throw new Error('withCommit needs a transaction');
    this.pending.push({ text, values });
  }

  /**
   * Ends the transaction: what waits for the COMMIT, then COMMIT, after the BEGIN if no statement
   * has sent it; nothing when the transaction ran nothing. All of it in one round trip.
   *
   * A transaction whose only work is one write waiting for the COMMIT (an event published and
   * nothing else) sends that write alone: one statement is atomic by itself, and the BEGIN, its
   * SET LOCAL and the COMMIT were an eighth of Postgres's CPU per event on the outbox path. That
   * write runs under the connection's own statement_timeout (none unless the pool sets one), not
   * the transaction's: what it can wait for is a row lock, which its holder's end or Postgres's
   * deadlock check releases.
   */
  async commit(): Promise<void> {
    if (!this.begun && this.pending.length === 0) return;
    if (!this.begun && this.pending.length === 1) {
      await this.sendPending();
      return;
    }
    await this.inOneWrite(() => Promise.all([this.begin(), this.sendPending(), this.runner.query('COMMIT')]));
  }

  /**
   * Sends what waits for the COMMIT, each without waiting for the one before (a pipelined
   * connection). Answered in order, so the first failure is the first to reject; the statements
   * after a failure fail or are not run.
   */
  private sendPending(): Promise<unknown> | undefined {
    const sent = this.pending.splice(0).map(({ text, values }) => this.runner.query({ name: preparedStatementName(text, values.length), text, values }));
    return sent.length ? Promise.all(sent) : undefined;
  }

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.run(query, values)).rows as T;
  }

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.run(query, values)).rowCount ?? 0;
  }

  private async run(text: string, values: unknown[]): Promise<QueryResult> {
    this.checkOpen();
    const [, , result] = await this.inOneWrite(() =>
      Promise.all([this.begin(), this.sendPending(), this.runner.query({ name: preparedStatementName(text, values.length), text, values })]),
    );
    return result;
  }

  /**
   * Runs `send` with the connection's socket corked, so that the messages of every statement it
   * sends (a BEGIN, what waited for the COMMIT, the statement) leave in one write: one syscall and
   * one wake-up of the server instead of one per statement, which cost more CPU than the
   * statements' own work (a create's four writes were a third of the contacts service's CPU).
   * A pipelined connection sends each statement within `query()`, so all of them are written
   * (to the corked socket) before `send` returns. On the pool (no connection of its own) it
   * just runs `send`.
   */
  private inOneWrite<T>(send: () => T): T {
    const socket = (this.runner as { connection?: { stream?: Partial<Pick<Writable, 'cork' | 'uncork'>> } }).connection?.stream;
    if (!socket?.cork || !socket.uncork) return send();
    socket.cork();
    try {
      return send();
    } finally {
      socket.uncork();
    }
  }

  /** Sends the BEGIN if no statement has: what the statements sent next must be answered after. */
  private begin(): Promise<unknown> | undefined {
    return this.beginSql === undefined ? undefined : (this.begun ??= this.runner.query(this.beginSql));
  }
}

/**
 * nestjs-cls transactions on a pg connection of the service's pool, without Prisma: for services
 * whose every statement is SQL (Kysely and the messaging tables), where Prisma's raw path cost
 * ~0.25 ms of CPU per statement (8 statements in a transaction: 2.4 ms through Prisma, 0.39 ms
 * on pg; docs/architecture.md, "Data access").
 */
export class TransactionalAdapterPg implements TransactionalAdapter<{ readonly pool: Pool }, PgSqlClient, PgTransactionOptions> {
  // No defaultTxOptions: nestjs-cls merges them into every call's options, and then warns (a log
  // line, written at once) on every @Transactional() that joins the transaction already open, as
  // if the call had asked for options. The defaults apply in wrapWithTransaction instead.

  constructor(readonly connectionToken: Type<{ readonly pool: Pool }>) {}

  optionsFactory = ({ pool }: { readonly pool: Pool }) => {
    const onPool = new PgSqlClient(pool);
    return {
      getFallbackInstance: () => onPool,
      wrapWithTransaction: async (options: PgTransactionOptions, fn: () => Promise<unknown>, setTx: (tx?: PgSqlClient) => void) => {
        const { timeout, maxWait } = { ...DEFAULTS, ...options };
        const client = await connectWithin(pool, maxWait);
        // A deadline read when a statement is sent, not a timer per transaction.
        const deadline = performance.now() + timeout;
        const checkOpen = () => {
          if (performance.now() > deadline) throw new TransactionExpiredError(timeout);
        };
        let broken: unknown;
        const tx = new PgSqlClient(client, checkOpen, `BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeout))}`);
        try {
          setTx(tx);
          const result = await fn();
          checkOpen();
          await tx.commit();
          return result;
        } catch (error) {
          if (tx.started) await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
          throw error;
        } finally {
          // A connection whose rollback failed is not handed to the next caller.
          client.release(broken instanceof Error ? broken : undefined);
        }
      },
    };
  };
}

async function connectWithin(pool: Pool, maxWaitMs: number): Promise<PoolClient> {
  // An idle connection no earlier caller waits for is handed over at once: no timer to arm and clear.
  if (pool.idleCount > pool.waitingCount) return pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const connecting = pool.connect();
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no database connection free within ${maxWaitMs} ms`)), maxWaitMs);
  });
  try {
    return await Promise.race([connecting, late]);
  } catch (error) {
    // The connection may still come: give it back at once.
    connecting.then(
      (client) => client.release(),
      () => undefined,
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The nestjs-cls plugin for TransactionalAdapterPg over the service's DatabasePool. */
export function pgTransactions(databasePool: Type<{ readonly pool: Pool }>, imports: ModuleMetadata['imports'] = []) {
  return new ClsPluginTransactional({ imports, adapter: new TransactionalAdapterPg(databasePool) });
}
