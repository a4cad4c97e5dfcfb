import { Injectable } from '@nestjs/common';
import { createDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the gateway's database, at the URL of the validated config (never
 * the environment's, so a test's database is the app's): Prisma runs on it through its pg adapter,
 * which also ends it on disconnect.
 */
@Injectable()
export class DatabasePool {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.API_GATEWAY_DATABASE_URL });
  }
}
