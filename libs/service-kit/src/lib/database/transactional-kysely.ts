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
import type { PrismaRawClient, TransactionSource } from './prisma-raw';
import { preparedStatementName } from '@crm/messaging';

/**
 * The typed query builder of a service (Kysely over its Prisma schema's generated table types),
 * aware of the Prisma transaction of the request: inside `@Transactional()` /
 * `TransactionHost.withTransaction` its statements run on that transaction's connection, so a
 * Kysely upsert and a Prisma write commit or roll back together; outside one they run on the
 * pool as named prepared statements (parsed and planned once per connection).
 *
 * Transactions are opened only by the TransactionHost: `db.transaction()` throws.
 */
export class TransactionalKysely<DB> extends Kysely<DB> {
  constructor(pool: Pool, transactions: TransactionSource) {
    super({ dialect: new TransactionAwareDialect(pool, transactions) });
  }
}

class TransactionAwareDialect implements Dialect {
  constructor(
    private readonly pool: Pool,
    private readonly transactions: TransactionSource,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new TransactionAwareDriver(this.pool, this.transactions);
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

  constructor(pool: Pool, transactions: TransactionSource) {
    this.connection = new TransactionAwareConnection(pool, transactions);
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
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const values = compiled.parameters as unknown[];
    if (this.transactions.isTransactionActive()) {
      const tx = this.transactions.tx as PrismaRawClient;
      if (returnsRows(compiled)) return { rows: await tx.$queryRawUnsafe<R[]>(compiled.sql, ...values) };
      return { rows: [], numAffectedRows: BigInt(await tx.$executeRawUnsafe(compiled.sql, ...values)) };
    }
    const result = await this.pool.query({ name: preparedStatementName(compiled.sql, values.length), text: compiled.sql, values });
    return { rows: result.rows as R[], numAffectedRows: result.command === 'SELECT' ? undefined : BigInt(result.rowCount ?? 0) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported: page with keyset queries instead');
  }
}

/** Selects, and writes with RETURNING, answer rows; other writes answer a count. */
function returnsRows(compiled: CompiledQuery): boolean {
  const node = compiled.query as { kind: string; returning?: unknown };
  return SelectQueryNode.is(compiled.query) || node.kind === 'RawNode' || node.returning !== undefined;
}
