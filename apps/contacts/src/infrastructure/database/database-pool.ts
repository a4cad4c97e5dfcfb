import { Injectable } from '@nestjs/common';
import { DatabaseConnections } from '@crm/service-kit';
import { AppConfig } from '../../app.config';

/**
 * The connections to the contacts database, from the validated config: transactions and writes
 * run on its pool, plain reads (GET, pages, search) on its pipelined connections
 * (DatabaseConnections); both end in the last shutdown phase.
 * Every statement is planned once per connection (force_generic_plan): they filter by tenant and
 * key first, so one plan fits every value, and planning anew on each call cost more than the
 * reads (a duplicate check 0.9 ms of Postgres CPU against 0.14 with the generic plan;
 * bench/contacts-db.bench.ts).
 */
@Injectable()
export class DatabasePool extends DatabaseConnections {
  constructor(config: AppConfig) {
    super({ url: config.CONTACTS_DATABASE_URL, forceGenericPlans: true });
  }
}
