import { Controller } from '@nestjs/common';
import { DomainError, rebuildAnalyticsReadModels } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { RebuildReadModelsService } from './rebuild-read-models.service';

/** `analytics.read-model.rebuild.v1`: an admin rebuilds their own tenant's figures (every tenant: the CLI). */
@Controller()
export class RebuildReadModelsHandler {
  constructor(private readonly service: RebuildReadModelsService) {}

  @OnRpc(rebuildAnalyticsReadModels)
  async rebuild(_request: unknown, { actor }: RpcCallContext) {
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'a rebuild needs a caller');
    if (!actor.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'only an admin can rebuild the read models');
    return this.service.rebuild(actor.tenantId);
  }
}
