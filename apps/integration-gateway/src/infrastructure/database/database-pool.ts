import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createDatabasePool, endDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the integration-gateway database, from the validated config: the Kysely executor
 * and the transactions run on it, and it ends in the last shutdown phase.
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.INTEGRATION_GATEWAY_DATABASE_URL });
  }

  // Consumers finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
  onApplicationShutdown(): Promise<void> {
    return endDatabasePool(this.pool);
  }
}
