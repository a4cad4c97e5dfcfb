import { DomainError, TicketGroup } from '@crm/contracts';
import type { GroupRow, MemberRow } from './group.repository';
import { isoTimestamp as iso } from '@crm/service-kit';


export function toTicketGroup(row: GroupRow, members: MemberRow[]): TicketGroup {
  return {
    id: row.id,
    name: row.name,
    assignment: row.assignment as TicketGroup['assignment'],
    members: members.filter((m) => m.group_id === row.id).map((m) => ({ userId: m.user_id, available: m.available, joinedAt: iso(m.joined_at) })),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const groupNotFound = (id: string) => new DomainError('NOT_FOUND', `group ${id} not found.`);
export const groupNameTaken = (name: string) => new DomainError('CONFLICT', `A group named "${name}" exists already.`);
