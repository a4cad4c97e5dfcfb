import { Injectable } from '@nestjs/common';
import { RpcRequest, Ticket, ticketUpdated, updateTicket } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock, type CustomFieldValues } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, ticketChangedMeanwhile, ticketClosed, ticketNotFound } from '../ticket-errors';
import { toTicket, TicketRow } from '../ticket.mapper';
import { TicketFieldValues } from '../../ticket-fields/ticket-field-values';
import { TicketChanges, TicketRepository } from '../ticket.repository';

/** Status, priority, group, assignee, tags or subject; `solved` records when, moving on from it clears that. */
@Injectable()
export class UpdateTicketService {
  constructor(
    private readonly repository: TicketRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly fields: TicketFieldValues,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateTicket>): Promise<Ticket> {
    const row = await this.repository.lock(tenantId, id);
    if (!row) throw ticketNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (row.status === 'closed') throw ticketClosed(id);
    const at = this.clock.now();
    // Solving needs the fields required to solve; a patch of them is checked and merged in.
    const customFields = await this.fields.apply(tenantId, 'patch.customFields', patch.customFields, row.custom_fields as CustomFieldValues, row.status, patch.status ?? row.status);
    const full = { ...patch, ...(patch.customFields && { customFields }) };
    const changes: TicketChanges = { ...full, ...(patch.tags && { tags: [...new Set(patch.tags)] }), ...solvedAtOf(row, patch.status, at) };
    const changed = Object.keys(full).filter((key) => JSON.stringify(full[key as keyof typeof full]) !== JSON.stringify(currentOf(row, key)));
    if (!changed.length) return toTicket(row);
    const updated = await this.repository.update(tenantId, id, row.version, changes, at);
    if (!updated) throw ticketChangedMeanwhile();
    const ticket = toTicket(updated);
    await this.events.publish(ticketUpdated, { ticket, changed }, { tenantId, subject: id, entityVersion: ticket.version });
    return ticket;
  }
}

function solvedAtOf(row: TicketRow, status: string | undefined, at: Date): Pick<TicketChanges, 'solvedAt'> {
  if (status === undefined || status === row.status) return {};
  if (status === 'solved') return { solvedAt: at };
  return status === 'closed' ? {} : { solvedAt: null };
}

function currentOf(row: TicketRow, key: string): unknown {
  const columns: Record<string, unknown> = {
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    tags: row.tags,
    customFields: row.custom_fields,
  };
  return columns[key];
}
