import { Controller } from '@nestjs/common';
import { DomainError, getAnalyticsSummary, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { GetSummaryService } from './get-summary.service';

/** Answers `analytics.summary.get.v1` for the caller's tenant. */
@Controller()
export class GetSummaryHandler {
  constructor(private readonly service: GetSummaryService) {}

  @OnRpc(getAnalyticsSummary)
  async get(request: RpcRequest<typeof getAnalyticsSummary>, { actor }: RpcCallContext) {
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'the summary is per tenant: a caller is required');
    return this.service.summary(actor.tenantId, request.windowDays);
  }
}
