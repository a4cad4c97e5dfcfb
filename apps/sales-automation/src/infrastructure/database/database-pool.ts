import { Injectable } from '@nestjs/common';
import { createDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the sales-automation database, from the validated config: Prisma runs on it
 * (through its pg adapter, which also ends it on disconnect) and so does the Kysely executor.
 * Every statement is planned once per connection (force_generic_plan), as in contacts: a keyset
 * page's LIMIT is a parameter, which makes Postgres price the generic plan above a custom one and
 * plan the board and every list anew on each call.
 */
@Injectable()
export class DatabasePool {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.SALES_AUTOMATION_DATABASE_URL, forceGenericPlans: true });
  }
}
