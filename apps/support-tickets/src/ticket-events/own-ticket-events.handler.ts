import { Controller } from '@nestjs/common';
import { EventData, EventEnvelope, ticketCreated, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { CsatSurvey } from '../csat/survey/csat-survey';
import { TicketAssigner } from '../groups/assignment/ticket-assigner';
import { SlaTracker } from '../sla/track/sla-tracker';

/** What the SLA clock depends on. */
const SLA_FIELDS = new Set(['status', 'priority']);

/**
 * The service's own ticket events, through the inbox (each applied once, one handler per event):
 * a ticket new in a group finds an agent (TicketAssigner), the SLA timers follow every change
 * (SlaTracker), and a solved ticket's requester is asked for a rating (CsatSurvey).
 */
@Controller()
export class OwnTicketEventsHandler {
  constructor(
    private readonly assigner: TicketAssigner,
    private readonly tracker: SlaTracker,
    private readonly csat: CsatSurvey,
  ) {}

  @OnEvent(ticketCreated, { scope: 'tenant' })
  async onCreated({ ticket }: EventData<typeof ticketCreated>, envelope: EventEnvelope): Promise<void> {
    await this.assigner.assign(envelope.tenantid, ticket);
    await this.tracker.track(envelope.tenantid, ticket);
  }

  /**
   * Moved into a group: assigned (not when an agent let it go: that stays their decision). The SLA
   * clock follows status and priority only: a change of requester, fields, tags or subject leaves it
   * (the status history it is worked out from has every status either way).
   */
  @OnEvent(ticketUpdated, { scope: 'tenant' })
  async onUpdated({ ticket, changed }: EventData<typeof ticketUpdated>, envelope: EventEnvelope): Promise<void> {
    if (changed.includes('groupId')) await this.assigner.assign(envelope.tenantid, ticket);
    if (changed.some((field) => SLA_FIELDS.has(field))) await this.tracker.track(envelope.tenantid, ticket);
    if (changed.includes('status')) await this.csat.afterSolved(envelope.tenantid, ticket);
  }

  /** An agent's public reply is the first response. */
  @OnEvent(ticketMessageAdded, { scope: 'tenant' })
  onMessage({ ticket, message }: EventData<typeof ticketMessageAdded>, envelope: EventEnvelope) {
    const firstResponse = message.kind === 'public' && message.authorType === 'agent' ? new Date(message.createdAt) : null;
    return this.tracker.track(envelope.tenantid, ticket, firstResponse);
  }
}
