import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export const DATABASE_URL_ENV = 'CONTACTS_DATABASE_URL';
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/crm_contacts';

/**
 * The one connection pool to the contacts database: Prisma runs on it (through its pg adapter,
 * which also ends it on disconnect) and so do the prepared statements of the hot reads.
 */
@Injectable()
export class DatabasePool {
  readonly pool = new Pool({ connectionString: process.env[DATABASE_URL_ENV] || DEFAULT_DATABASE_URL, options: SESSION_OPTIONS });
}

/**
 * Every statement of the service is planned once per connection: its prepared statements take
 * arrays (ids, email keys, words) and search patterns, whose custom plans Postgres otherwise
 * keeps choosing over the cached generic one, planning anew on each call: that planning cost
 * more than the reads (a duplicate check 0.9 ms of Postgres CPU against 0.14 with the generic
 * plan; bench/contacts-db.bench.ts). The statements filter by tenant and key first, so one plan
 * fits every value.
 */
export const SESSION_OPTIONS = '-c plan_cache_mode=force_generic_plan';
