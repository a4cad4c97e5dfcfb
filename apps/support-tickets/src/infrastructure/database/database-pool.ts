import { Injectable } from '@nestjs/common';
import { createDatabasePool } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The one connection pool to the support-tickets database, from the validated config: Prisma runs on it
 * (through its pg adapter, which also ends it on disconnect) and so does the Kysely executor.
 */
@Injectable()
export class DatabasePool {
  readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = createDatabasePool({ url: config.SUPPORT_TICKETS_DATABASE_URL });
  }
}
