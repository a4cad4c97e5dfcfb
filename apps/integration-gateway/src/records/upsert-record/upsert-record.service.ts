import { Injectable } from '@nestjs/common';
import { DomainError, ExternalItemResult, resolveContactExternalIds, RpcRequest, validationFailed } from '@crm/contracts';
import { assertScope } from '../../erp-auth/assert-scope';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ErpBus } from '../../erp-auth/erp-bus';
import { FieldOwnershipRepository } from '../../process-sync/field-ownership/field-ownership.repository';
import { SyncLogRepository } from '../../sync-log/sync-log.repository';
import { ERP_OBJECT_ROUTES, RecordKey } from '../erp-objects';
import { itemError, onlyResult } from '../record-results';

export interface UpsertRecordReply {
  id: string;
  system: string;
  externalId: string;
  outcome: 'created' | 'updated' | 'unchanged';
  /** CRM-owned fields the record tried to change: kept, not applied. */
  conflicts?: ExternalItemResult['conflicts'];
}

/**
 * PUT one record by its external id: a one-item batch of the owning service's upsert-external,
 * with the tenant's CRM-owned fields (field ownership). An order names its customer by the ERP's
 * id (`contactExternalId`, same system): resolved to `contactId` here. Every item goes to the sync log.
 */
@Injectable()
export class UpsertRecordService {
  constructor(
    private readonly bus: ErpBus,
    private readonly fieldOwnership: FieldOwnershipRepository,
    private readonly syncLog: SyncLogRepository,
  ) {}

  async upsert(client: ErpClient, key: RecordKey, record: Record<string, unknown>): Promise<UpsertRecordReply> {
    const routes = ERP_OBJECT_ROUTES[key.object];
    assertScope(client, routes.writeScope);
    const log = {
      tenantId: client.tenantId,
      clientId: client.clientId,
      direction: 'inbound' as const,
      object: key.object,
      system: key.system,
      externalId: key.externalId,
      operation: 'upsert',
    };
    let result: ExternalItemResult;
    try {
      const fields = key.object === 'orders' ? await this.withCustomer(client, key.system, record) : record;
      const crmOwnedFields = await this.fieldOwnership.crmOwnedFields(client.tenantId, key.object);
      const request = { system: key.system, crmOwnedFields, items: [{ externalId: key.externalId, record: fields }] };
      const reply = (await this.bus.call(routes.upsert, request as RpcRequest<typeof routes.upsert>, client)) as { results: ExternalItemResult[] };
      result = onlyResult(reply.results);
    } catch (error) {
      // Refused before the service applied anything (unknown customer, service down): logged as failed.
      const message = error instanceof DomainError ? `${error.code}: ${error.message}` : 'INTERNAL: the owning service did not answer';
      await this.syncLog.record([{ ...log, status: 'failed', error: message }]);
      throw error;
    }
    const conflicts = result.conflicts?.length ? result.conflicts : undefined;
    await this.syncLog.record([
      {
        ...log,
        recordId: result.id ?? null,
        status: conflicts ? 'conflict' : result.outcome,
        // Field names only: never the incoming values (personal data).
        detail: conflicts ? { outcome: result.outcome, conflicts: conflicts.map((c) => c.field) } : undefined,
        error: result.error ? `${result.error.code}: ${result.error.message}` : null,
      },
    ]);
    if (result.outcome === 'failed' || !result.id) throw itemError(result);
    return {
      id: result.id,
      system: key.system,
      externalId: key.externalId,
      outcome: result.outcome as UpsertRecordReply['outcome'],
      ...(conflicts && { conflicts }),
    };
  }

  private async withCustomer(client: ErpClient, system: string, record: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { contactExternalId, ...rest } = record;
    if (contactExternalId === undefined || rest['contactId'] !== undefined) return record;
    if (typeof contactExternalId !== 'string' || !contactExternalId.trim())
      throw validationFailed([{ path: 'contactExternalId', message: "the customer's id in this system" }]);
    const { ids } = await this.bus.call(resolveContactExternalIds, { system, externalIds: [contactExternalId.trim()] }, client);
    const contactId = ids[contactExternalId.trim()];
    if (!contactId) throw validationFailed([{ path: 'contactExternalId', message: `no contact with this external id in ${system}` }]);
    return { ...rest, contactId };
  }
}
