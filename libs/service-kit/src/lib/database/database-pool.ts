import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
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

/** The one pg pool of a service's database: Prisma's adapter and the Kysely executor share it. */
export function createDatabasePool({ url, max, forceGenericPlans }: DatabasePoolOptions): Pool {
  const pool = new Pool({
    connectionString: url,
    max,
    options: forceGenericPlans ? '-c plan_cache_mode=force_generic_plan' : undefined,
    types: databaseTypes,
  });
  // An idle connection the server ended (a restart, a terminated backend) is dropped from the pool
  // and the next query opens another; unlistened, pg-pool's 'error' event would end the process.
  pool.on('error', (error) => logger.warn(`idle database connection lost: ${error.message}`));
  return pool;
}
