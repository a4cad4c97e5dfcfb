import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { apiClientCreated, createApiClient, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkScopes } from '../api-client-lookup';
import { newSecret } from '../api-client-secrets';
import { ApiClientRepository } from '../api-client.repository';
import { toApiClient } from '../api-client.table';

/** A new API client of the tenant with its first secret, shown in this reply only. */
@Injectable()
export class CreateApiClientService {
  constructor(
    private readonly clients: ApiClientRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, createdBy: string, { client }: RpcRequest<typeof createApiClient>): Promise<RpcResponse<typeof createApiClient>> {
    const scopes = checkScopes(client.scopes, 'client.scopes');
    const secret = newSecret();
    const now = new Date();
    const secretId = randomUUID();
    const row = await this.clients.insert(
      { id: randomUUID(), tenant_id: tenantId, name: client.name, scopes, created_by: createdBy, created_at: now, updated_at: now },
      { id: secretId, hash: secret.hash, hint: secret.hint, createdAt: now },
    );
    const created = toApiClient(row, [
      {
        id: secretId,
        client_id: row.id,
        tenant_id: tenantId,
        secret_hash: secret.hash,
        hint: secret.hint,
        created_at: now,
        expires_at: null,
        revoked_at: null,
      },
    ]);
    await this.events.publish(apiClientCreated, { client: created }, { tenantId, subject: created.id, entityVersion: created.version });
    return { ...created, secret: secret.secret };
  }
}
