import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { waitAtMost } from '@crm/messaging';
import { ClientConfig, Pool } from 'pg';
import { PipelinedReads } from './pipelined-reads';
import { databaseTypes } from './timestamptz-parser';

const logger = new Logger('DatabasePool');

export interface DatabasePoolOptions {
  /** The service's database URL, from its validated config (never read from process.env here). */
  url: string;
  /** At most this many connections (pg's default 10). */
  max?: number;
  /**
   * `-c plan_cache_mode=force_generic_plan`: statements that filter by tenant and key first fit
   * one generic plan, which Postgres otherwise keeps re-planning per value (see the README's
   * data-access section).
   */
  forceGenericPlans?: boolean;
}

/** The one pg pool of a service's database: the Kysely executor, the transactions and (where the service has one) Prisma's adapter share it. */
export function createDatabasePool({ url, max, forceGenericPlans }: DatabasePoolOptions): Pool {
  const pool = new Pool({
    ...connectionConfig({ url, forceGenericPlans }),
    max,
    // A transaction's BEGIN and its first statement go out together (pg-transactions.ts): one
    // round trip fewer per command. Queries that hold a portal open (pg-cursor) are refused in
    // this mode; none runs on this pool.
    pipeline: true,
  });
  // An idle connection the server ended (a restart, a terminated backend) is dropped from the pool
  // and the next query opens another; unlistened, pg-pool's 'error' event would end the process.
  pool.on('error', (error) => logger.warn(`idle database connection lost: ${error.message}`));
  return pool;
}

/**
 * The connections a service's plain reads share (PipelinedReads), configured as its pool's:
 * `count` of them.
 */
export function createPipelinedReads({ url, forceGenericPlans }: DatabasePoolOptions, count = DEFAULT_READ_CONNECTIONS): PipelinedReads {
  return new PipelinedReads(connectionConfig({ url, forceGenericPlans }), count);
}

/**
 * Four: through the whole system (npm run bench, two against four alternated twice on this
 * 2-core machine), four served filtered pages at 1,252/1,308 req/s, p99 70/76 ms, against
 * 1,140/1,062, p99 81/102, and search likewise, for the same Postgres CPU per page: fewer reads
 * wait behind a slower one. GETs were within noise (1,586/2,192 against 1,772/1,933 req/s).
 */
export const DEFAULT_READ_CONNECTIONS = 4;

function connectionConfig({ url, forceGenericPlans }: DatabasePoolOptions): ClientConfig {
  return {
    connectionString: url,
    options: forceGenericPlans ? '-c plan_cache_mode=force_generic_plan' : undefined,
    types: databaseTypes,
  };
}

/**
 * Ends the pool in the last shutdown phase (consumers and the outbox relay finish before it),
 * without waiting forever: a pool whose connections broke mid-transaction (the database
 * restarted) may never see them released.
 */
export async function endDatabasePool(pool: Pool, timeoutMs = 5_000): Promise<void> {
  await waitAtMost(
    pool.end().catch(() => undefined),
    timeoutMs,
  );
}

/**
 * A service's connections to its database: the pool (transactions, writes, and whatever else runs
 * outside a transaction) and the plain reads' shared pipelined connections (PipelinedReads; its
 * Database, a TransactionalKysely, is given both). Both end in the last shutdown phase: consumers
 * finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
 * Each service's DatabasePool extends it with the options from its validated config.
 */
export class DatabaseConnections implements OnApplicationShutdown {
  readonly pool: Pool;
  readonly reads: PipelinedReads;

  constructor(options: DatabasePoolOptions) {
    this.pool = createDatabasePool(options);
    this.reads = createPipelinedReads(options);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.reads.end(), endDatabasePool(this.pool)]);
  }
}
