import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { ApiClient, apiClientUpdated, DomainError, RpcRequest, updateApiClient } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { ApiClientLookup, checkScopes } from '../api-client-lookup';
import { ApiClientStatus } from '../api-client-status';
import { ApiClientRepository } from '../api-client.repository';

/**
 * Name and scopes. Narrowed scopes bind live access tokens too (the guard reads the client's
 * scopes now, within its cache's few seconds). A patch that changes nothing answers the client as
 * it is: same version, no event.
 */
@Injectable()
export class UpdateApiClientService {
  constructor(
    private readonly clients: ApiClientRepository,
    private readonly lookup: ApiClientLookup,
    private readonly status: ApiClientStatus,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateApiClient>): Promise<ApiClient> {
    const before = await this.lookup.live(tenantId, id, expectedVersion);
    const current = { name: before.name, scopes: [...before.scopes] };
    const next = { name: patch.name ?? current.name, scopes: patch.scopes ? checkScopes(patch.scopes, 'patch.scopes') : current.scopes };
    if (isDeepStrictEqual(next, current)) return this.lookup.withSecrets(before);
    const row = await this.clients.update(tenantId, id, before.version, next);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The API client changed meanwhile; read it again.');
    this.status.forget(id);
    const client = await this.lookup.withSecrets(row);
    const changed = (['name', 'scopes'] as const).filter((field) => !isDeepStrictEqual(next[field], current[field]));
    await this.events.publish(apiClientUpdated, { client, changed }, { tenantId, subject: id, entityVersion: client.version });
    return client;
  }
}
