import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';

/**
 * A typed query builder over a test's database (`DB`: the service's generated table types), for
 * what a spec looks at or arranges behind the service's back. Its own small pool, not the
 * service's: the spec reads as an outside observer. `destroy()` ends the pool.
 */
export function testKysely<DB>(url: string): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 2 }) }) });
}
