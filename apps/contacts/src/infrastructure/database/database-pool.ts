import { Injectable } from '@nestjs/common';
import { createDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the contacts database, from the validated config: Prisma runs on it
 * (through its pg adapter, which also ends it on disconnect) and so does the Kysely executor.
 * Every statement is planned once per connection (force_generic_plan): they filter by tenant and
 * key first, so one plan fits every value, and planning anew on each call cost more than the
 * reads (a duplicate check 0.9 ms of Postgres CPU against 0.14 with the generic plan;
 * bench/contacts-db.bench.ts).
 */
@Injectable()
export class DatabasePool {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.CONTACTS_DATABASE_URL, forceGenericPlans: true });
  }
}
