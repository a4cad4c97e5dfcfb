import { Injectable } from '@nestjs/common';
import { DatabaseConnections } from '@crm/service-kit';
import { AppConfig } from '../../app.config';

/**
 * The connections to the support-tickets database, from the validated config: transactions and writes run on
 * its pool, plain reads on its pipelined connections (DatabaseConnections); both end in the last
 * shutdown phase.
 * Every statement is planned once per connection (force_generic_plan), as in contacts: left to
 * itself Postgres planned the agent inbox anew on every call (a LIMIT given as a parameter makes
 * the generic plan look costlier than it is), 0.20 ms of planning against 0.05 ms of reading.
 */
@Injectable()
export class DatabasePool extends DatabaseConnections {
  constructor(config: AppConfig) {
    super({ url: config.SUPPORT_TICKETS_DATABASE_URL, forceGenericPlans: true });
  }
}
