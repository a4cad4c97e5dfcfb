import { Injectable } from '@nestjs/common';
import { ApiClientRepository } from './api-client.repository';

/** How long a replica trusts what it read of a client: a revocation on another replica cuts live tokens within this. */
export const CLIENT_STATUS_TTL_MS = 5_000;
const CACHE_SIZE = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ClientStatus = { revoked: boolean; scopes: string[] } | null;

/**
 * What ErpAuthGuard checks of a token's client beyond the signature: not revoked, and its scopes
 * now (a narrowed client's live tokens lose the removed scopes). Read from the database, kept in
 * memory for a few seconds per client (one read per client every 5 s at most, whatever the load).
 * A client that is not stored is not refused here: the signature already proves this gateway
 * issued the token (tests sign tokens for clients they do not store).
 */
@Injectable()
export class ApiClientStatus {
  private readonly cache = new Map<string, { status: ClientStatus; untilMs: number }>();

  constructor(private readonly clients: ApiClientRepository) {}

  async of(clientId: string): Promise<ClientStatus> {
    if (!UUID.test(clientId)) return null;
    const known = this.cache.get(clientId);
    if (known && known.untilMs > Date.now()) return known.status;
    const status = await this.clients.status(clientId);
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(clientId, { status, untilMs: Date.now() + CLIENT_STATUS_TTL_MS });
    return status;
  }

  /** After a change on this replica: the next request reads it again. */
  forget(clientId: string): void {
    this.cache.delete(clientId);
  }
}
