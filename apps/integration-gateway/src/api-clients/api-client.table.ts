import type { Selectable } from 'kysely';
import type { ApiClient } from '@crm/contracts';
import type { ApiClient as ApiClientTable, ApiClientSecret as ApiClientSecretTable } from '../generated/kysely/database';
import { isoTimestamp as iso } from '@crm/service-kit';

export type ApiClientRow = Selectable<ApiClientTable>;
export type ApiClientSecretRow = Selectable<ApiClientSecretTable>;

const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

/** A row and its working secrets as replies and events carry them: never a secret nor its hash. */
export function toApiClient(row: ApiClientRow, secrets: readonly ApiClientSecretRow[]): ApiClient {
  return {
    id: row.id,
    name: row.name,
    scopes: [...row.scopes],
    createdBy: row.created_by,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    revokedAt: isoOrNull(row.revoked_at),
    secrets: secrets.map((secret) => ({ id: secret.id, hint: secret.hint, createdAt: iso(secret.created_at), expiresAt: isoOrNull(secret.expires_at) })),
  };
}
