import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createDatabasePool, endDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the gateway's database, at the URL of the validated config (never
 * the environment's, so a test's database is the app's): the Kysely executor and the transactions
 * run on it, and it ends in the last shutdown phase.
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.API_GATEWAY_DATABASE_URL });
  }

  // Consumers finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
  onApplicationShutdown(): Promise<void> {
    return endDatabasePool(this.pool);
  }
}
