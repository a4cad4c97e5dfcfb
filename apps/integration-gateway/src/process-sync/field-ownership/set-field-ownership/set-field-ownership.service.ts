import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { FieldOwnership, fieldOwnershipChanged, RpcRequest, setFieldOwnership } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { FieldOwnershipRepository } from '../field-ownership.repository';

/** Replaces an object's ownership map; a change publishes `field-ownership.changed` (the same map again changes nothing). */
@Injectable()
export class SetFieldOwnershipService {
  constructor(
    private readonly repository: FieldOwnershipRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async set(tenantId: string, { object, fields }: RpcRequest<typeof setFieldOwnership>): Promise<FieldOwnership> {
    const before = await this.repository.find(tenantId, object);
    const next: FieldOwnership = { object, fields: byField(fields) };
    if (isDeepStrictEqual(byField(before.fields), next.fields)) return next;
    await this.repository.replace(tenantId, next);
    await this.events.publish(fieldOwnershipChanged, next, { tenantId, subject: object });
    return next;
  }
}

// Compared and answered in one order (code points), whatever the database's collation sorts by.
function byField<T extends { field: string }>(fields: readonly T[]): T[] {
  return [...fields].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}
