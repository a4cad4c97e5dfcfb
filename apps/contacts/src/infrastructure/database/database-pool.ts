import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createDatabasePool, endDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the contacts database, from the validated config: the Kysely executor
 * and the transactions run on it, and it ends in the last shutdown phase.
 * Every statement is planned once per connection (force_generic_plan): they filter by tenant and
 * key first, so one plan fits every value, and planning anew on each call cost more than the
 * reads (a duplicate check 0.9 ms of Postgres CPU against 0.14 with the generic plan;
 * bench/contacts-db.bench.ts).
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.CONTACTS_DATABASE_URL, forceGenericPlans: true });
  }

  // Consumers finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
  onApplicationShutdown(): Promise<void> {
    return endDatabasePool(this.pool);
  }
}
