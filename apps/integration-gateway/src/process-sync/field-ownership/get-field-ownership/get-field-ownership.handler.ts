import { Controller } from '@nestjs/common';
import { getFieldOwnership, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { FieldOwnershipRepository } from '../field-ownership.repository';

/** Tenant admins read the map through the API gateway (GET /api/v1/integrations/field-ownership/:object). */
@Controller()
export class GetFieldOwnershipHandler {
  constructor(private readonly repository: FieldOwnershipRepository) {}

  @OnRpc(getFieldOwnership, { scope: 'tenant' })
  handle({ object }: RpcRequest<typeof getFieldOwnership>, { actor }: TenantCallContext) {
    return this.repository.find(actor.tenantId, object);
  }
}
