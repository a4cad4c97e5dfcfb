import { Controller } from '@nestjs/common';
import { rebuildAnalyticsReadModels } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RebuildReadModelsService } from './rebuild-read-models.service';

/** `analytics.read-model.rebuild.v1`: an admin rebuilds their own tenant's figures (every tenant: the CLI). */
@Controller()
export class RebuildReadModelsHandler {
  constructor(private readonly service: RebuildReadModelsService) {}

  @OnRpc(rebuildAnalyticsReadModels, { scope: 'tenant', roles: ['admin'] })
  rebuild(_request: unknown, { tenantId }: TenantCallContext) {
    return this.service.rebuild(tenantId);
  }
}
