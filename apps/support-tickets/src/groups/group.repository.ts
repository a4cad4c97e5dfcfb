import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import type { GroupMember as GroupMemberTable, TicketGroup as TicketGroupTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type GroupRow = Selectable<TicketGroupTable>;
export type MemberRow = Selectable<GroupMemberTable>;

/** Ticket groups and their members, tenant-scoped in every statement. */
@Injectable()
export class GroupRepository {
  constructor(private readonly db: Database) {}

  insert(tenantId: string, group: { id: string; name: string; assignment: string }, at: Date): Promise<GroupRow | undefined> {
    return this.db
      .insertInto('ticket_group')
      .values({ id: group.id, tenant_id: tenantId, name: group.name, assignment: group.assignment, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  find(tenantId: string, id: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('ticket_group').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  list(tenantId: string): Promise<GroupRow[]> {
    return this.db.selectFrom('ticket_group').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
  }

  /** Whether another group of the tenant has this name. */
  async nameTaken(tenantId: string, name: string, except: string): Promise<boolean> {
    return (await this.db.selectFrom('ticket_group').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).where('id', '!=', except).executeTakeFirst()) !== undefined;
  }

  /** The change at `version` (undefined: changed meanwhile, or a name another group has). */
  update(tenantId: string, id: string, version: number, changes: { name?: string; assignment?: string }, at: Date): Promise<GroupRow | undefined> {
    return this.db
      .updateTable('ticket_group')
      .set({ ...changes, version: version + 1, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  /** A touch of the group's version: its members changed. */
  async touch(tenantId: string, id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('ticket_group')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    await this.db.deleteFrom('group_member').where('tenant_id', '=', tenantId).where('group_id', '=', id).execute();
    const result = await this.db.deleteFrom('ticket_group').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  members(tenantId: string, groupIds: string[]): Promise<MemberRow[]> {
    if (!groupIds.length) return Promise.resolve([]);
    return this.db.selectFrom('group_member').selectAll().where('tenant_id', '=', tenantId).where('group_id', 'in', groupIds).orderBy('joined_at').orderBy('user_id').execute();
  }

  async putMember(tenantId: string, groupId: string, userId: string, available: boolean, at: Date): Promise<void> {
    await this.db
      .insertInto('group_member')
      .values({ group_id: groupId, user_id: userId, tenant_id: tenantId, available, joined_at: at })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doUpdateSet({ available }))
      .execute();
  }

  async removeMember(tenantId: string, groupId: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('group_member').where('tenant_id', '=', tenantId).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** The group, locked until the transaction ends: two tickets assigned at once take turns. */
  lockForAssignment(tenantId: string, id: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('ticket_group').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async setLastAssigned(id: string, userId: string): Promise<void> {
    await this.db.updateTable('ticket_group').set({ last_assigned_id: userId }).where('id', '=', id).execute();
  }

  /** Each available member's open tickets (new, open, pending, on hold) in the tenant, fewest first, then the longest in the group. */
  async availableByOpenTickets(tenantId: string, groupId: string): Promise<{ user_id: string; open: number }[]> {
    const { rows } = await sql<{ user_id: string; open: number }>`
      SELECT m.user_id, (SELECT count(*)::int FROM ticket t
                         WHERE t.tenant_id = m.tenant_id AND t.assignee_id = m.user_id
                           AND t.status IN ('new', 'open', 'pending', 'on_hold')) AS open
      FROM group_member m
      WHERE m.tenant_id = ${tenantId} AND m.group_id = ${groupId}::uuid AND m.available
      ORDER BY open, m.joined_at, m.user_id`.execute(this.db);
    return rows;
  }
}
