import { Injectable } from '@nestjs/common';
import type { TicketGroup } from '@crm/contracts';
import { GroupRepository } from './group.repository';
import { groupNotFound, toTicketGroup } from './group.mapper';

/** A group with its members, as every group route answers it. */
@Injectable()
export class GroupView {
  constructor(private readonly groups: GroupRepository) {}

  async of(tenantId: string, id: string): Promise<TicketGroup> {
    const row = await this.groups.find(tenantId, id);
    if (!row) throw groupNotFound(id);
    return toTicketGroup(row, await this.groups.members(tenantId, [id]));
  }
}
