import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { createTicketGroup, DomainError, deleteTicketGroup, getTicketGroup, listTicketGroups, RpcRequest, updateTicketGroup } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion } from '../../tickets/ticket-errors';
import { GroupRepository } from '../group.repository';
import { groupNameTaken, groupNotFound, toTicketGroup } from '../group.mapper';
import { GroupView } from '../group-view';

/** Groups (queues): a name once per tenant, an assignment mode, If-Match on changes. */
@Controller()
export class ManageGroupsHandler {
  constructor(
    private readonly groups: GroupRepository,
    private readonly view: GroupView,
    private readonly clock: Clock,
  ) {}

  @OnRpc(createTicketGroup, { scope: 'tenant' })
  async create({ group }: RpcRequest<typeof createTicketGroup>, { tenantId }: TenantCallContext) {
    const row = await this.groups.insert(tenantId, { id: randomUUID(), ...group }, this.clock.now());
    if (!row) throw groupNameTaken(group.name);
    return toTicketGroup(row, []);
  }

  @OnRpc(listTicketGroups, { scope: 'tenant' })
  async list(_request: RpcRequest<typeof listTicketGroups>, { tenantId }: TenantCallContext) {
    const rows = await this.groups.list(tenantId);
    const members = await this.groups.members(
      tenantId,
      rows.map((r) => r.id),
    );
    return { data: rows.map((row) => toTicketGroup(row, members)) };
  }

  @OnRpc(getTicketGroup, { scope: 'tenant' })
  get({ id }: RpcRequest<typeof getTicketGroup>, { tenantId }: TenantCallContext) {
    return this.view.of(tenantId, id);
  }

  @OnRpc(updateTicketGroup, { scope: 'tenant' })
  @Transactional()
  async update({ id, expectedVersion, patch }: RpcRequest<typeof updateTicketGroup>, { tenantId }: TenantCallContext) {
    const row = await this.groups.find(tenantId, id);
    if (!row) throw groupNotFound(id);
    checkVersion(expectedVersion, row.version, 'group');
    if (patch.name && (await this.groups.nameTaken(tenantId, patch.name, id))) throw groupNameTaken(patch.name);
    if (!(await this.groups.update(tenantId, id, row.version, patch, this.clock.now()))) throw new DomainError('PRECONDITION_FAILED', 'The group changed meanwhile; read it again.');
    return this.view.of(tenantId, id);
  }

  @OnRpc(deleteTicketGroup, { scope: 'tenant' })
  @Transactional()
  async delete({ id }: RpcRequest<typeof deleteTicketGroup>, { tenantId }: TenantCallContext) {
    return { deleted: await this.groups.delete(tenantId, id) };
  }
}
