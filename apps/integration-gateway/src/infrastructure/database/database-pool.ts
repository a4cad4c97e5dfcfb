import { Injectable } from '@nestjs/common';
import { DatabaseConnections } from '@crm/service-kit';
import { AppConfig } from '../../app.config';

/**
 * The connections to the integration-gateway database, from the validated config: transactions and writes run on
 * its pool, plain reads on its pipelined connections (DatabaseConnections); both end in the last
 * shutdown phase.
 */
@Injectable()
export class DatabasePool extends DatabaseConnections {
  constructor(config: AppConfig) {
    super({ url: config.INTEGRATION_GATEWAY_DATABASE_URL });
  }
}
