import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createDatabasePool, createPipelinedReads, DatabasePoolOptions, endDatabasePool, PipelinedReads } from '@crm/service-kit';
import type { Pool } from 'pg';
import { AppConfig } from '../../app.config';

/**
 * The connection pool to the contacts database, from the validated config: the transactions and
 * the statements outside them run on it, but for plain reads (GET, pages, search), which share
 * `reads`' pipelined connections. Both end in the last shutdown phase.
 * Every statement is planned once per connection (force_generic_plan): they filter by tenant and
 * key first, so one plan fits every value, and planning anew on each call cost more than the
 * reads (a duplicate check 0.9 ms of Postgres CPU against 0.14 with the generic plan;
 * bench/contacts-db.bench.ts).
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  readonly pool: Pool;
  readonly reads: PipelinedReads;

  constructor(config: AppConfig) {
    const options: DatabasePoolOptions = { url: config.CONTACTS_DATABASE_URL, forceGenericPlans: true };
    this.pool = createDatabasePool(options);
    this.reads = createPipelinedReads(options);
  }

  // Consumers finish their transactions and the outbox relay flushes first (beforeApplicationShutdown).
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.reads.end(), endDatabasePool(this.pool)]);
  }
}
