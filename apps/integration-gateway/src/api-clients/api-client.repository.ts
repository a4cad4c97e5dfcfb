import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { ApiClient as ApiClientTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import type { ApiClientRow, ApiClientSecretRow } from './api-client.table';

/** What the token endpoint reads of a secret: its client, and whether both still work. */
export interface SecretOwner {
  clientId: string;
  tenantId: string;
  scopes: string[];
  secretHash: string;
}

/** `last_used_at` is written at most this often per client: a token request costs no write most of the time. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** API clients and their secrets (hashes only), per tenant. */
@Injectable()
export class ApiClientRepository {
  constructor(private readonly db: Database) {}

  async insert(client: Insertable<ApiClientTable>, secret: { id: string; hash: string; hint: string; createdAt: Date }): Promise<ApiClientRow> {
    const row = await this.db.insertInto('api_client').values(client).returningAll().executeTakeFirstOrThrow();
    await this.insertSecret(row, secret);
    return row;
  }

  async insertSecret(client: Pick<ApiClientRow, 'id' | 'tenant_id'>, secret: { id: string; hash: string; hint: string; createdAt: Date }): Promise<void> {
    await this.db
      .insertInto('api_client_secret')
      .values({ id: secret.id, client_id: client.id, tenant_id: client.tenant_id, secret_hash: secret.hash, hint: secret.hint, created_at: secret.createdAt })
      .execute();
  }

  /** The tenant's client (revoked ones too), or null. */
  async find(tenantId: string, id: string): Promise<ApiClientRow | null> {
    const row = await this.db.selectFrom('api_client').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row ?? null;
  }

  /** The secrets of these clients that work now (not revoked, not expired), oldest first. */
  async workingSecrets(tenantId: string, clientIds: readonly string[]): Promise<ApiClientSecretRow[]> {
    if (clientIds.length === 0) return [];
    return this.db
      .selectFrom('api_client_secret')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('client_id', 'in', clientIds)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Newest first (keyset on created_at desc, id); limit + 1 rows: the extra one says there is a next page. */
  list(tenantId: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<ApiClientRow[]> {
    let query = this.db.selectFrom('api_client').selectAll().where('tenant_id', '=', tenantId);
    if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.createdAt}, ${after.id}::uuid)`);
    return query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** The next version, or null when `version` is no longer current or the client is revoked. */
  async update(tenantId: string, id: string, version: number, values: Updateable<ApiClientTable>): Promise<ApiClientRow | null> {
    const row = await this.db
      .updateTable('api_client')
      .set({ ...values, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** The client's working secrets stop working in `seconds` (or sooner, if they already expire earlier); the database's clock. */
  async expireSecrets(tenantId: string, clientId: string, seconds: number): Promise<void> {
    // Truncated to the column's milliseconds: rounding up would keep a secret ended with 0 s of grace alive for a moment.
    const at = sql<Date>`date_trunc('milliseconds', now()) + make_interval(secs => ${seconds})`;
    await this.db
      .updateTable('api_client_secret')
      .set({ expires_at: sql<Date>`least(coalesce(expires_at, ${at}), ${at})` })
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeSecrets(tenantId: string, clientId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('api_client_secret')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /**
   * The working secret with this hash and its live client, or null (unknown, expired or revoked
   * secret; revoked client). One lookup on the unique hash index.
   */
  async secretOwner(secretHash: string): Promise<SecretOwner | null> {
    const row = await this.db
      .selectFrom('api_client_secret as s')
      .innerJoin('api_client as c', 'c.id', 's.client_id')
      .select(['c.id as clientId', 'c.tenant_id as tenantId', 'c.scopes', 's.secret_hash as secretHash'])
      .where('s.secret_hash', '=', secretHash)
      .where('s.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', sql<Date>`now()`)]))
      .where('c.revoked_at', 'is', null)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Marks the client used now, unless it was marked within the last minute (then no row is written). */
  async touchLastUsed(clientId: string): Promise<void> {
    await this.db
      .updateTable('api_client')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', clientId)
      .where((eb) =>
        eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS})`)]),
      )
      .execute();
  }

  /** What the guard checks of a token's client: revoked or not, and its scopes now (null: no such client). */
  async status(clientId: string): Promise<{ revoked: boolean; scopes: string[] } | null> {
    const row = await this.db.selectFrom('api_client').select(['revoked_at', 'scopes']).where('id', '=', clientId).executeTakeFirst();
    return row ? { revoked: row.revoked_at !== null, scopes: row.scopes } : null;
  }
}
