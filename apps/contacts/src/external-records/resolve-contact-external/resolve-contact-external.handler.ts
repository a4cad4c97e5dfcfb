import { Controller } from '@nestjs/common';
import { resolveContactExternalIds, RpcRequest, RpcResponse } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ExternalRecordsRepository } from '../external-records.repository';

@Controller()
export class ResolveContactExternalHandler {
  constructor(private readonly repository: ExternalRecordsRepository) {}

  /** External id -> contact id of those whose contact is live (unknown, deleted and erased ones are absent). */
  @OnRpc(resolveContactExternalIds, { scope: 'tenant' })
  async handle(
    { system, externalIds }: RpcRequest<typeof resolveContactExternalIds>,
    { tenantId }: TenantCallContext,
  ): Promise<RpcResponse<typeof resolveContactExternalIds>> {
    return { ids: Object.fromEntries(await this.repository.liveRefs(tenantId, 'contact', system, [...new Set(externalIds)])) };
  }
}
