import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor, logPhoneCall, phoneCallLogged, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AddTicketMessageService } from '../../tickets/add-message/add-message.service';
import { CreateTicketService } from '../../tickets/create-ticket/create-ticket.service';
import { PhoneCallRepository } from '../phone-call.repository';
import { callNote, toPhoneCall } from '../phone-call.mapper';

/**
 * A call the agent took or made: joins the given ticket as an internal note, or opens a ticket of
 * channel phone with the note as its first message; the call is kept with its number, length and
 * recording, and announced (without its notes).
 */
@Injectable()
export class LogPhoneCallService {
  constructor(
    private readonly calls: PhoneCallRepository,
    private readonly create: CreateTicketService,
    private readonly messages: AddTicketMessageService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async log(actor: Actor, { call }: RpcRequest<typeof logPhoneCall>) {
    const note = callNote(call);
    // The contract asks a subject of a call that names no ticket.
    const subject = call.subject ?? 'Phone call';
    const ticket = call.ticketId
      ? await this.messages.add(actor, { id: call.ticketId, message: { kind: 'internal', body: note } })
      : await this.create.create(actor, {
          ticket: { subject, body: note, channel: 'phone', priority: 'normal', requesterId: call.requesterId, groupId: null, assigneeId: actor.userId, tags: [], customFields: {} },
        });
    const at = this.clock.now();
    const row = await this.calls.insert(
      actor.tenantId,
      {
        id: randomUUID(),
        ticketId: ticket.id,
        direction: call.direction,
        phoneNumber: call.phoneNumber,
        durationSeconds: call.durationSeconds,
        recordingUrl: call.recordingUrl,
        notes: call.notes,
        agentId: actor.userId,
        startedAt: call.startedAt ? new Date(call.startedAt) : new Date(at.getTime() - call.durationSeconds * 1000),
      },
      at,
    );
    const { notes: _notes, ...announced } = toPhoneCall(row);
    await this.events.publish(phoneCallLogged, { call: announced }, { tenantId: actor.tenantId, subject: row.id, entityVersion: 1 });
    return { call: toPhoneCall(row), ticket };
  }
}
