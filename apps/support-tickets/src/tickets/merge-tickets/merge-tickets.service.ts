import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { mergeTickets, RpcRequest, ticketMerged, ticketUpdated, TicketWithThread } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, ticketChangedMeanwhile, ticketClosed, ticketNotFound, ticketNotMergeable } from '../ticket-errors';
import { toTicket, TicketRow } from '../ticket.mapper';
import { TicketRepository } from '../ticket.repository';
import { TicketThread } from '../ticket-thread';

/**
 * Two tickets about one thing become one: the source's thread joins the target's (its email
 * Message-IDs with it, so the customer's replies thread into the target), a system note on each
 * says what happened, and the source is closed as merged (its SLA timers stop with the close).
 * Both tickets are locked first, so two merges of the same pair never cross.
 */
@Injectable()
export class MergeTicketsService {
  constructor(
    private readonly repository: TicketRepository,
    private readonly thread: TicketThread,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async merge(tenantId: string, { id, expectedVersion, sourceId }: RpcRequest<typeof mergeTickets>): Promise<TicketWithThread> {
    if (id === sourceId) throw ticketNotMergeable(id, 'a ticket cannot be merged into itself');
    const locked = await this.repository.lockMany(tenantId, [id, sourceId]);
    const target = locked.find((t) => t.id === id);
    const source = locked.find((t) => t.id === sourceId);
    if (!target) throw ticketNotFound(id);
    if (!source) throw ticketNotFound(sourceId);
    // Asked again (a retry, or a second agent): done already.
    if (source.merged_into_id === id) return this.thread.of(target);
    checkVersion(expectedVersion, target.version);
    if (target.status === 'closed') throw ticketClosed(id);
    if (source.status === 'closed') throw ticketNotMergeable(sourceId, source.merged_into_id ? 'it was merged into another ticket' : 'it is closed');

    const at = this.clock.now();
    const closed = await this.repository.mergeInto(tenantId, source, id, at);
    const updated = await this.repository.update(tenantId, id, target.version, {}, at);
    if (!closed || !updated) throw ticketChangedMeanwhile();
    await this.note(tenantId, target.id, `Ticket #${source.number} “${source.subject}” was merged into this ticket.`, at);
    await this.note(tenantId, source.id, `Merged into ticket #${target.number}.`, at);

    const meta = (row: TicketRow) => ({ tenantId, subject: row.id, entityVersion: row.version });
    await this.events.publish(ticketUpdated, { ticket: toTicket(closed), changed: ['status', 'mergedIntoId'] }, meta(closed));
    await this.events.publish(ticketMerged, { ticket: toTicket(updated), sourceId: closed.id }, meta(updated));
    return this.thread.of(updated);
  }

  private note(tenantId: string, ticketId: string, body: string, at: Date) {
    return this.repository.insertMessage(tenantId, { id: randomUUID(), ticketId, kind: 'internal', authorType: 'system', authorId: null, body, emailMessageId: null }, at);
  }
}
