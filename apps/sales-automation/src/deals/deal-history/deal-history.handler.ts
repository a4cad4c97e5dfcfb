import { Controller } from '@nestjs/common';
import { dealHistory, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DealLookup } from '../deal-lookup';
import { DealRepository } from '../deal.repository';

/** The deal's stage visits in order, with the time spent in each (until now for the current one). */
@Controller()
export class DealHistoryHandler {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
  ) {}

  @OnRpc(dealHistory, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof dealHistory>, { tenantId }: TenantCallContext) {
    await this.lookup.live(tenantId, id);
    const now = Date.now();
    const visits = await this.deals.history(tenantId, id);
    return {
      data: visits.map((v) => {
        const entered = new Date(v.entered_at);
        const left = v.left_at ? new Date(v.left_at) : null;
        return {
          pipelineId: v.pipeline_id,
          stageId: v.stage_id,
          enteredAt: entered.toISOString(),
          leftAt: left?.toISOString() ?? null,
          secondsInStage: Math.max(0, Math.floor(((left?.getTime() ?? now) - entered.getTime()) / 1000)),
        };
      }),
    };
  }
}
