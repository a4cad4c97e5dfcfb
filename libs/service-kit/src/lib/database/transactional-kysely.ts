import {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  QueryResult,
  SelectQueryNode,
} from 'kysely';
import type { Pool } from 'pg';
import type { PipelinedReads } from './pipelined-reads';
import type { PrismaRawClient, TransactionSource } from './prisma-raw';
import { preparedStatementName } from '@crm/messaging';

/**
 * The typed query builder of a service (Kysely over its Prisma schema's generated table types),
 * aware of the Prisma transaction of the request: inside `@Transactional()` /
 * `TransactionHost.withTransaction` its statements run on that transaction's connection, so a
 * Kysely upsert and a Prisma write commit or roll back together; outside one they run on the
 * pool as named prepared statements (parsed and planned once per connection), and the plain
 * SELECTs among them on `reads` when given (connections they share, pipelined).
 *
 * Transactions are opened only by the TransactionHost: `db.transaction()` throws.
 */
export class TransactionalKysely<DB> extends Kysely<DB> {
  /**
   * The same database with its plain reads on the pool too: for a read that keeps Postgres busy
   * for milliseconds (a search ranking typo candidates), which on a shared pipelined connection
   * would hold up every read queued behind it.
   */
  readonly onPool: Kysely<DB>;

  constructor(pool: Pool, transactions: TransactionSource, reads?: PipelinedReads) {
    super({ dialect: new TransactionAwareDialect(pool, transactions, reads) });
    this.onPool = reads ? new TransactionalKysely<DB>(pool, transactions) : this;
  }
}

class TransactionAwareDialect implements Dialect {
  constructor(
    private readonly pool: Pool,
    private readonly transactions: TransactionSource,
    private readonly reads: PipelinedReads | undefined,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new TransactionAwareDriver(this.pool, this.transactions, this.reads);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class TransactionAwareDriver implements Driver {
  private readonly connection: DatabaseConnection;

  constructor(pool: Pool, transactions: TransactionSource, reads: PipelinedReads | undefined) {
    this.connection = new TransactionAwareConnection(pool, transactions, reads);
  }
  async init(): Promise<void> {
    // Nothing to open: the pool exists already.
  }
  // One stateless connection object: each statement picks the transaction's client or the pool.
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('Open transactions with @Transactional() / TransactionHost, not db.transaction(): Prisma and Kysely share them');
  }
  async commitTransaction(): Promise<void> {
    // Never begun here (see beginTransaction).
  }
  async rollbackTransaction(): Promise<void> {
    // Never begun here (see beginTransaction).
  }
  async releaseConnection(): Promise<void> {
    // The connection object holds no pg client between statements.
  }
  async destroy(): Promise<void> {
    // The pool belongs to the service's database module, which ends it.
  }
}

class TransactionAwareConnection implements DatabaseConnection {
  constructor(
    private readonly pool: Pool,
    private readonly transactions: TransactionSource,
    private readonly reads: PipelinedReads | undefined,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const values = compiled.parameters as unknown[];
    if (this.transactions.isTransactionActive()) {
      const tx = this.transactions.tx as PrismaRawClient;
      if (returnsRows(compiled)) return { rows: await tx.$queryRawUnsafe<R[]>(compiled.sql, ...values) };
      return { rows: [], numAffectedRows: BigInt(await tx.$executeRawUnsafe(compiled.sql, ...values)) };
    }
    const statement = { name: preparedStatementName(compiled.sql, values.length), text: compiled.sql, values };
    const result = this.reads && isPlainRead(compiled) ? await this.reads.query(statement) : await this.pool.query(statement);
    return { rows: result.rows as R[], numAffectedRows: result.command === 'SELECT' ? undefined : BigInt(result.rowCount ?? 0) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported: page with keyset queries instead');
  }
}

/**
 * A SELECT that cannot wait for another session: no locking clause and no write in its WITH. On a
 * shared pipelined connection, a statement that waits holds up every statement queued behind it.
 */
function isPlainRead(compiled: CompiledQuery): boolean {
  const node = compiled.query;
  if (!SelectQueryNode.is(node) || node.endModifiers?.length) return false;
  return (node.with?.expressions ?? []).every((cte) => SelectQueryNode.is(cte.expression));
}

/** Selects, and writes with RETURNING, answer rows; other writes answer a count. */
function returnsRows(compiled: CompiledQuery): boolean {
  const node = compiled.query as { kind: string; returning?: unknown };
  return SelectQueryNode.is(compiled.query) || node.kind === 'RawNode' || node.returning !== undefined;
}
