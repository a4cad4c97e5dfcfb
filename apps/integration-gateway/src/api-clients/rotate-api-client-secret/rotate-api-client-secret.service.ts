import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { apiClientSecretRotated, DomainError, RpcRequest, RpcResponse, rotateApiClientSecret } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { ApiClientLookup } from '../api-client-lookup';
import { newSecret } from '../api-client-secrets';
import { ApiClientRepository } from '../api-client.repository';

/**
 * A new secret, shown in this reply only. The secrets that worked keep working for the grace
 * period (ERP_SECRET_ROTATION_GRACE_SECONDS unless the request says), so the ERP can switch
 * without downtime: two secrets are active meanwhile. The client's version moves on.
 */
@Injectable()
export class RotateApiClientSecretService {
  constructor(
    private readonly clients: ApiClientRepository,
    private readonly lookup: ApiClientLookup,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {}

  @Transactional()
  async rotate(
    tenantId: string,
    { id, expectedVersion, graceSeconds }: RpcRequest<typeof rotateApiClientSecret>,
  ): Promise<RpcResponse<typeof rotateApiClientSecret>> {
    const before = await this.lookup.live(tenantId, id, expectedVersion);
    const grace = graceSeconds ?? this.config.ERP_SECRET_ROTATION_GRACE_SECONDS;
    await this.clients.expireSecrets(tenantId, id, grace);
    const secret = newSecret();
    await this.clients.insertSecret(before, { id: randomUUID(), hash: secret.hash, hint: secret.hint, createdAt: new Date() });
    const row = await this.clients.update(tenantId, id, before.version, {});
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The API client changed meanwhile; read it again.');
    const client = await this.lookup.withSecrets(row);
    await this.events.publish(apiClientSecretRotated, { client }, { tenantId, subject: id, entityVersion: client.version });
    return { ...client, secret: secret.secret };
  }
}
