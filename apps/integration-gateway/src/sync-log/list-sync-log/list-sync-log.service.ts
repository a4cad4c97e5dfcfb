import { Injectable } from '@nestjs/common';
import { listSyncLog, RpcRequest, RpcResponse, validationFailed } from '@crm/contracts';
import { SyncLogRepository } from '../sync-log.repository';

/**
 * The sync log, newest first, filtered by record, external id, system, object, status, direction
 * or client. The cursor is the last entry's id (opaque base64url): a forged one can only move
 * within the caller's own tenant, since every query is scoped by it; a malformed one is refused.
 */
@Injectable()
export class ListSyncLogService {
  constructor(private readonly repository: SyncLogRepository) {}

  async list(tenantId: string, { filter, cursor, limit }: RpcRequest<typeof listSyncLog>): Promise<RpcResponse<typeof listSyncLog>> {
    const rows = await this.repository.list(tenantId, filter, decodeCursor(cursor), limit + 1);
    const data = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? Buffer.from(data[data.length - 1].id).toString('base64url') : null;
    return { data, nextCursor };
  }
}

function decodeCursor(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,17}$/.test(id)) throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);
  return BigInt(id);
}
