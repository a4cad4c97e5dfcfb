import { Injectable } from '@nestjs/common';
import { Actor, applyMacro, RpcRequest, TicketWithThread } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { AddTicketMessageService } from '../../tickets/add-message/add-message.service';
import { checkVersion, ticketNotFound } from '../../tickets/ticket-errors';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketThread } from '../../tickets/ticket-thread';
import { UpdateTicketService } from '../../tickets/update-ticket/update-ticket.service';
import { MacroRepository } from '../macro.repository';
import { macroNotFound, macroTemplates, toMacro } from '../macro.mapper';

/**
 * A macro on a ticket in one transaction: its reply rendered for this ticket and
 * added as the agent's (a public one on an email ticket is emailed, and opens a new ticket), then
 * its fields and tags set. Each step publishes its own event, as if the agent had done it by hand.
 */
@Injectable()
export class ApplyMacroService {
  constructor(
    private readonly macros: MacroRepository,
    private readonly tickets: TicketRepository,
    private readonly thread: TicketThread,
    private readonly messages: AddTicketMessageService,
    private readonly updates: UpdateTicketService,
  ) {}

  @Transactional()
  async apply(actor: Actor, { id, ticketId, expectedVersion }: RpcRequest<typeof applyMacro>): Promise<TicketWithThread> {
    const row = await this.macros.find(actor.tenantId, id);
    if (!row) throw macroNotFound(id);
    const macro = toMacro(row);
    const ticket = await this.tickets.lock(actor.tenantId, ticketId);
    if (!ticket) throw ticketNotFound(ticketId);
    checkVersion(expectedVersion, ticket.version);

    if (macro.reply) {
      const body = (
        await macroTemplates.parseAndRender(macro.reply.body, {
          ticket: { number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority },
          requester: { name: ticket.requester_name ?? '', email: ticket.requester_email ?? '' },
          agent: { id: actor.userId },
        })
      ).trim();
      if (body) await this.messages.add(actor, { id: ticketId, message: { kind: macro.reply.kind, body } });
    }
    const current = await this.tickets.get(actor.tenantId, ticketId);
    const tags = macro.addTags.length || macro.removeTags.length ? [...new Set([...current.tags, ...macro.addTags])].filter((t) => !macro.removeTags.includes(t)) : undefined;
    const patch = { ...macro.set, ...(tags && { tags }) };
    if (Object.keys(patch).length) await this.updates.update(actor.tenantId, { id: ticketId, patch });
    return this.thread.of(await this.tickets.get(actor.tenantId, ticketId));
  }
}
