import { Injectable } from '@nestjs/common';
import { ApiClient, listApiClients, RpcRequest, validationFailed } from '@crm/contracts';
import { ApiClientRepository } from '../api-client.repository';
import { toApiClient } from '../api-client.table';

/** The tenant's clients, newest first, with their working secrets (hints only). */
@Injectable()
export class ListApiClientsService {
  constructor(private readonly clients: ApiClientRepository) {}

  async list(tenantId: string, { cursor, limit }: RpcRequest<typeof listApiClients>): Promise<{ data: ApiClient[]; nextCursor: string | null }> {
    const rows = await this.clients.list(tenantId, decodeCursor(cursor), limit);
    const page = rows.slice(0, limit);
    const secrets = await this.clients.workingSecrets(
      tenantId,
      page.map((row) => row.id),
    );
    const last = page[page.length - 1];
    return {
      data: page.map((row) =>
        toApiClient(
          row,
          secrets.filter((secret) => secret.client_id === row.id),
        ),
      ),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
    };
  }
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const at = new Date(String(createdAt));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(at.getTime())) throw new Error('cursor');
    return { createdAt: at, id };
  } catch {
    throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);
  }
}
