import { Controller } from '@nestjs/common';
import { getSequence, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { sequenceNotFound } from '../sequence-errors';
import { toSequence } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

@Controller()
export class GetSequenceHandler {
  constructor(private readonly repository: SequenceRepository) {}

  @OnRpc(getSequence, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getSequence>, { tenantId }: TenantCallContext) {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw sequenceNotFound(id);
    return toSequence(row);
  }
}
