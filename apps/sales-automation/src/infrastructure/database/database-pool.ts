import { Injectable } from '@nestjs/common';
import { DatabaseConnections } from '@crm/service-kit';
import { AppConfig } from '../../app.config';

/**
 * The connections to the sales-automation database, from the validated config: transactions and writes run on
 * its pool, plain reads on its pipelined connections (DatabaseConnections); both end in the last
 * shutdown phase.
 * Every statement is planned once per connection (force_generic_plan), as in contacts: a keyset
 * page's LIMIT is a parameter, which makes Postgres price the generic plan above a custom one and
 * plan the board and every list anew on each call.
 */
@Injectable()
export class DatabasePool extends DatabaseConnections {
  constructor(config: AppConfig) {
    super({ url: config.SALES_AUTOMATION_DATABASE_URL, forceGenericPlans: true });
  }
}
