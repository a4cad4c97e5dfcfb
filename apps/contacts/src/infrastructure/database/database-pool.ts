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
  readonly pool = new Pool({ connectionString: process.env[DATABASE_URL_ENV] || DEFAULT_DATABASE_URL });
}
