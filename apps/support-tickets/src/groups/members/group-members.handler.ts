import { Controller } from '@nestjs/common';
import { putGroupMember, removeGroupMember, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { GroupRepository } from '../group.repository';
import { groupNotFound } from '../group.mapper';
import { GroupView } from '../group-view';

/** A group's agents and their availability (an unavailable agent keeps their tickets but gets no new ones). */
@Controller()
export class GroupMembersHandler {
  constructor(
    private readonly groups: GroupRepository,
    private readonly view: GroupView,
    private readonly clock: Clock,
  ) {}

  @OnRpc(putGroupMember, { scope: 'tenant' })
  @Transactional()
  async put({ id, userId, available }: RpcRequest<typeof putGroupMember>, { tenantId }: TenantCallContext) {
    if (!(await this.groups.find(tenantId, id))) throw groupNotFound(id);
    const at = this.clock.now();
    await this.groups.putMember(tenantId, id, userId, available, at);
    await this.groups.touch(tenantId, id, at);
    return this.view.of(tenantId, id);
  }

  @OnRpc(removeGroupMember, { scope: 'tenant' })
  @Transactional()
  async remove({ id, userId }: RpcRequest<typeof removeGroupMember>, { tenantId }: TenantCallContext) {
    if (!(await this.groups.find(tenantId, id))) throw groupNotFound(id);
    if (await this.groups.removeMember(tenantId, id, userId)) await this.groups.touch(tenantId, id, this.clock.now());
    return this.view.of(tenantId, id);
  }
}
