import { Controller } from '@nestjs/common';
import { getAnalyticsSummary, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { GetSummaryService } from './get-summary.service';

/** Answers `analytics.summary.get.v1` for the caller's tenant. */
@Controller()
export class GetSummaryHandler {
  constructor(private readonly service: GetSummaryService) {}

  @OnRpc(getAnalyticsSummary, { scope: 'tenant' })
  get(request: RpcRequest<typeof getAnalyticsSummary>, { tenantId }: TenantCallContext) {
    return this.service.summary(tenantId, request.windowDays);
  }
}
