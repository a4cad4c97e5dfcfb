import { Injectable } from '@nestjs/common';
import { resolveContactExternalIds } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';

/** The contacts service's ids of customers an ERP names by its own ids (one call per batch). */
@Injectable()
export class OrderCustomers {
  constructor(private readonly rpc: RpcClient) {}

  async resolve(system: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    if (!externalIds.length) return new Map();
    const { ids } = await this.rpc.call(resolveContactExternalIds, { system, externalIds: [...externalIds] });
    return new Map(Object.entries(ids));
  }
}
