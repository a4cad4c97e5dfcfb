import { Injectable } from '@nestjs/common';
import { DomainError, RpcRequest } from '@crm/contracts';
import { assertScope } from '../../erp-auth/assert-scope';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ErpBus } from '../../erp-auth/erp-bus';
import { ERP_OBJECT_ROUTES, RecordKey } from '../erp-objects';

/** GET one record by its external id, as the owning service's get-external answers it (NOT_FOUND when unknown or another tenant's). */
@Injectable()
export class GetRecordService {
  constructor(private readonly bus: ErpBus) {}

  async get(client: ErpClient, key: RecordKey): Promise<unknown> {
    const routes = ERP_OBJECT_ROUTES[key.object];
    if (!routes.get || !routes.readScope) throw new DomainError('NOT_FOUND', `${key.object} cannot be read by external id (yet)`);
    assertScope(client, routes.readScope);
    return this.bus.call(routes.get, { system: key.system, externalId: key.externalId } as RpcRequest<typeof routes.get>, client);
  }
}
