import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createDatabasePool, endDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the sales-automation database, from the validated config: the Kysely executor
 * and the transactions run on it, and it ends in the last shutdown phase.
 * Every statement is planned once per connection (force_generic_plan), as in contacts: a keyset
 * page's LIMIT is a parameter, which makes Postgres price the generic plan above a custom one and
 * plan the board and every list anew on each call.
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.SALES_AUTOMATION_DATABASE_URL, forceGenericPlans: true });
  }

  // Consumers finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
  onApplicationShutdown(): Promise<void> {
    return endDatabasePool(this.pool);
  }
}
