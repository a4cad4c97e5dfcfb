import { Injectable } from '@nestjs/common';
import { apiClientRevoked, DomainError, revokeApiClient, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { ApiClientLookup } from '../api-client-lookup';
import { ApiClientStatus } from '../api-client-status';
import { ApiClientRepository } from '../api-client.repository';

/**
 * Ends the client: its secrets are revoked (no new token), and its live access tokens are refused
 * by the guard (at once on this replica, within ApiClientStatus's cache TTL on the others).
 */
@Injectable()
export class RevokeApiClientService {
  constructor(
    private readonly clients: ApiClientRepository,
    private readonly lookup: ApiClientLookup,
    private readonly status: ApiClientStatus,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async revoke(tenantId: string, { id, expectedVersion }: RpcRequest<typeof revokeApiClient>): Promise<RpcResponse<typeof revokeApiClient>> {
    const before = await this.lookup.live(tenantId, id, expectedVersion);
    const now = new Date();
    const row = await this.clients.update(tenantId, id, before.version, { revoked_at: now });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The API client changed meanwhile; read it again.');
    await this.clients.revokeSecrets(tenantId, id, now);
    this.status.forget(id);
    await this.events.publish(apiClientRevoked, { clientId: id, revokedAt: now.toISOString() }, { tenantId, subject: id, entityVersion: row.version });
    return { id, revoked: true as const };
  }
}
