import { Injectable } from '@nestjs/common';
import { Ticket, ticketUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { toTicket } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { GroupRepository, GroupRow } from '../group.repository';

const DONE = new Set(['solved', 'closed']);

/**
 * Gives a ticket that arrived in a group (created there, or moved into it) without an assignee to
 * an available member: round robin (the member after the group's last pick, in the order they
 * joined) or the member with the fewest open tickets; a manual group leaves it waiting. Runs in
 * the transaction of the ticket event's inbox row, the group row locked: two tickets at once take
 * turns. The ticket is read again first (the event may be behind it): one an agent took meanwhile
 * is left alone. A new ticket that gets an agent is open.
 */
@Injectable()
export class TicketAssigner {
  constructor(
    private readonly groups: GroupRepository,
    private readonly tickets: TicketRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async assign(tenantId: string, event: Ticket): Promise<string | null> {
    if (!event.groupId || event.assigneeId || DONE.has(event.status)) return null;
    const group = await this.groups.lockForAssignment(tenantId, event.groupId);
    if (!group || group.assignment === 'manual') return null;
    const ticket = await this.tickets.lock(tenantId, event.id);
    if (!ticket || ticket.assignee_id || ticket.group_id !== group.id || DONE.has(ticket.status)) return null;

    const agent = group.assignment === 'fewest_open' ? await this.fewestOpen(tenantId, group.id) : await this.nextInTurn(tenantId, group);
    if (!agent) return null;

    const at = this.clock.now();
    const opens = ticket.status === 'new';
    const updated = await this.tickets.update(tenantId, ticket.id, ticket.version, { assigneeId: agent, ...(opens && { status: 'open' }) }, at);
    if (!updated) return null;
    await this.groups.setLastAssigned(group.id, agent);
    await this.events.publish(
      ticketUpdated,
      { ticket: toTicket(updated), changed: opens ? ['assigneeId', 'status'] : ['assigneeId'] },
      { tenantId, subject: ticket.id, entityVersion: updated.version },
    );
    return agent;
  }

  /** The available member with the fewest open tickets (counted only for this mode). */
  private async fewestOpen(tenantId: string, groupId: string): Promise<string | undefined> {
    return (await this.groups.availableByOpenTickets(tenantId, groupId))[0]?.user_id;
  }

  /** The available member after the group's last pick, in the order they joined. */
  private async nextInTurn(tenantId: string, group: GroupRow): Promise<string | undefined> {
    const inTurn = (await this.groups.members(tenantId, [group.id])).filter((m) => m.available).map((m) => m.user_id);
    if (!inTurn.length) return undefined;
    const last = group.last_assigned_id ? inTurn.indexOf(group.last_assigned_id) : -1;
    return inTurn[(last + 1) % inTurn.length];
  }
}
