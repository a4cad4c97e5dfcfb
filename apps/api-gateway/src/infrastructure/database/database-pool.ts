import { Injectable } from '@nestjs/common';
import { DatabaseConnections } from '@crm/service-kit';
import { AppConfig } from '../../app.config';

/**
 * The connections to the gateway's database, at the URL of the validated config (never
 * the environment's, so a test's database is the app's): transactions and writes run on
 * its pool, plain reads on its pipelined connections (DatabaseConnections); both end in the last
 * shutdown phase.
 */
@Injectable()
export class DatabasePool extends DatabaseConnections {
  constructor(config: AppConfig) {
    super({ url: config.API_GATEWAY_DATABASE_URL });
  }
}
