import { Injectable } from '@nestjs/common';
import { DomainError, ExternalItemResult, RpcRequest } from '@crm/contracts';
import { assertScope } from '../../erp-auth/assert-scope';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ErpBus } from '../../erp-auth/erp-bus';
import { SyncLogRepository } from '../../sync-log/sync-log.repository';
import { ERP_OBJECT_ROUTES, RecordKey } from '../erp-objects';
import { itemError, onlyResult } from '../record-results';

/** DELETE one record by its external id (soft, as the CRM's DELETE): a one-item batch of delete-external; logged in the sync log. */
@Injectable()
export class DeleteRecordService {
  constructor(
    private readonly bus: ErpBus,
    private readonly syncLog: SyncLogRepository,
  ) {}

  async remove(client: ErpClient, key: RecordKey): Promise<{ id: string; system: string; externalId: string; outcome: 'deleted' }> {
    const routes = ERP_OBJECT_ROUTES[key.object];
    assertScope(client, routes.writeScope);
    if (!routes.remove) throw new DomainError('NOT_FOUND', `${key.object} cannot be deleted by external id (yet)`);
    const log = {
      tenantId: client.tenantId,
      clientId: client.clientId,
      direction: 'inbound' as const,
      object: key.object,
      system: key.system,
      externalId: key.externalId,
      operation: 'delete',
    };
    let result: ExternalItemResult;
    try {
      const request = { system: key.system, items: [{ externalId: key.externalId }] };
      result = onlyResult(
        ((await this.bus.call(routes.remove, request as RpcRequest<typeof routes.remove>, client)) as { results: ExternalItemResult[] }).results,
      );
    } catch (error) {
      await this.syncLog.record([{ ...log, status: 'failed', error: error instanceof DomainError ? `${error.code}: ${error.message}` : 'INTERNAL' }]);
      throw error;
    }
    await this.syncLog.record([
      { ...log, recordId: result.id ?? null, status: result.outcome, error: result.error ? `${result.error.code}: ${result.error.message}` : null },
    ]);
    if (result.outcome !== 'deleted' || !result.id) throw itemError(result);
    return { id: result.id, system: key.system, externalId: key.externalId, outcome: 'deleted' };
  }
}
