import { randomUUID } from 'node:crypto';
import {
  Actor,
  createSlaPolicy,
  createTicket,
  getBusinessHours,
  getTicket,
  listTickets,
  putBusinessHours,
  slaBreached,
  slaWarning,
  ticketUpdated,
  updateTicket,
} from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { SupportTicketsTestContext } from '../testing/support-tickets-test-context';
import { SlaTimerRunner } from './timers/sla-timer-runner';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];

/**
 * SLAs against a real database and broker: business hours and a policy set over the bus, the
 * timers following the ticket's events, and warnings, breaches and escalation fired by the runner
 * on an injected clock (the runner's own polling is off here: the test moves time and fires).
 */
describe('SLA timers', () => {
  let ctx: SupportTicketsTestContext;
  let clock: Clock;
  let runner: SlaTimerRunner;
  const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  const escalations = randomUUID();
  const setNow = (iso: string) => jest.spyOn(clock, 'now').mockReturnValue(new Date(iso));

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start({ SUPPORT_TICKETS_JOBS_ENABLED: 'false' });
    clock = ctx.service.app.get(Clock);
    runner = ctx.service.app.get(SlaTimerRunner);
    await ctx.call(
      putBusinessHours,
      { hours: { timeZone: 'Europe/Berlin', weekly: { '1': NINE_TO_FIVE, '2': NINE_TO_FIVE, '3': NINE_TO_FIVE, '4': NINE_TO_FIVE, '5': NINE_TO_FIVE }, publicHolidays: { country: 'DE' } } },
      actor,
    );
    await ctx.call(
      createSlaPolicy,
      {
        policy: {
          name: 'High',
          priority: 'high',
          firstResponseMinutes: 60,
          resolutionMinutes: 240,
          warnShare: 0.5,
          raisePriority: true,
          escalateToGroupId: escalations,
          notifyManager: true,
        },
      },
      actor,
    );
  });
  afterAll(() => ctx?.close());
  afterEach(() => jest.restoreAllMocks());

  /** The ticket's timers once the tracker has applied the ticket's version `version` (it follows the events). */
  async function timersAt(ticketId: string, version: number) {
    for (let waited = 0; waited < 15_000; waited += 100) {
      const seen = await ctx.database.selectFrom('ticket_status_change').select('version').where('ticket_id', '=', ticketId).where('version', '=', version).executeTakeFirst();
      const timers = await ctx.database.selectFrom('ticket_sla').selectAll().where('ticket_id', '=', ticketId).orderBy('metric').execute();
      if (seen && timers.length) return Object.fromEntries(timers.map((t) => [t.metric, t]));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no SLA timers for ticket ${ticketId} at version ${version}`);
  }
  const outboxTypes = async (ticketId: string) =>
    (await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', ticketId).orderBy('seq').execute()).map((r) => r.type);

  it('a high ticket opened Monday 09:00 Berlin: first response due 10:00, resolution 13:00; warning at half, breach escalates', async () => {
    setNow('2026-11-30T08:00:00Z');
    const ticket = await ctx.call(createTicket, { ticket: { subject: 'Checkout down', body: 'Nobody can pay.', priority: 'high' } }, actor);
    const timers = await timersAt(ticket.id, 1);
    expect(timers['first_response']).toMatchObject({ target_minutes: 60, due_at: new Date('2026-11-30T09:00:00Z'), warn_at: new Date('2026-11-30T08:30:00Z') });
    expect(timers['resolution']).toMatchObject({ target_minutes: 240, due_at: new Date('2026-11-30T12:00:00Z') });
    expect((await ctx.call(getTicket, { id: ticket.id }, actor)).slaDueAt).toBe('2026-11-30T09:00:00.000Z');

    setNow('2026-11-30T08:29:00Z');
    expect(await runner.fireDue()).toBe(0);
    setNow('2026-11-30T08:45:00Z');
    expect(await runner.fireDue()).toBe(1);
    expect(await outboxTypes(ticket.id)).toContain(slaWarning.name);
    expect(await runner.fireDue()).toBe(0);

    setNow('2026-11-30T09:05:00Z');
    expect(await runner.fireDue()).toBe(1);
    const escalated = await ctx.call(getTicket, { id: ticket.id }, actor);
    expect(escalated).toMatchObject({ priority: 'urgent', groupId: escalations });
    expect(escalated.messages.at(-1)).toMatchObject({ kind: 'internal', authorType: 'system' });
    expect(escalated.messages.at(-1)?.body).toContain('a manager is asked');
    const types = await outboxTypes(ticket.id);
    expect(types.filter((t) => t === slaBreached.name)).toHaveLength(1);
    expect(types).toContain(ticketUpdated.name);
    const breach = await ctx.database.selectFrom('outbox_message').select('envelope').where('subject', '=', ticket.id).where('type', '=', slaBreached.name).executeTakeFirstOrThrow();
    expect((breach.envelope as { data: unknown }).data).toMatchObject({
      metric: 'first_response',
      dueAt: '2026-11-30T09:00:00.000Z',
      escalation: { raisedPriorityTo: 'urgent', movedToGroupId: escalations, managerNotified: true },
    });
    expect(await runner.fireDue()).toBe(0);
  });

  it('pending on the customer pauses the clock; the inbox sorts running targets first by due time', async () => {
    const queue = randomUUID();
    setNow('2026-11-30T08:00:00Z');
    const waiting = await ctx.call(createTicket, { ticket: { subject: 'Waiting', body: 'x', priority: 'high', groupId: queue } }, actor);
    const later = await ctx.call(createTicket, { ticket: { subject: 'Later', body: 'x', priority: 'high', groupId: queue } }, actor);
    const noTarget = await ctx.call(createTicket, { ticket: { subject: 'Low, no policy', body: 'x', priority: 'low', groupId: queue } }, actor);
    await timersAt(waiting.id, 1);
    setNow('2026-11-30T08:20:00Z');
    const paused = await ctx.call(updateTicket, { id: waiting.id, patch: { status: 'pending' } }, actor);
    const timers = await timersAt(waiting.id, paused.version);
    expect(timers['resolution']).toMatchObject({ due_at: null });
    expect((await ctx.call(getTicket, { id: waiting.id }, actor)).slaDueAt).toBeNull();

    setNow('2026-11-30T09:20:00Z');
    const back = await ctx.call(updateTicket, { id: waiting.id, patch: { status: 'open' } }, actor);
    // 20 business minutes counted before the pause: 220 left from 10:20 Berlin: due 14:00 Berlin.
    expect((await timersAt(waiting.id, back.version))['resolution']).toMatchObject({ due_at: new Date('2026-11-30T13:00:00Z') });

    await timersAt(later.id, 1);
    // later: first response due 09:00Z; waiting: answered by nobody either, but its first response
    // paused 20 minutes in: due 10:00 Berlin + ... later than `later`; the ticket with no policy last.
    const inbox = await ctx.call(listTickets, { filter: { groupId: queue }, sort: 'slaDueAt', limit: 2 }, actor);
    expect(inbox.data.map((t) => t.id)).toEqual([later.id, waiting.id]);
    const rest = await ctx.call(listTickets, { filter: { groupId: queue }, sort: 'slaDueAt', limit: 2, cursor: inbox.nextCursor as string }, actor);
    expect(rest).toMatchObject({ data: [expect.objectContaining({ id: noTarget.id, slaDueAt: null })], nextCursor: null });
  });

  it('business hours: read back; an unknown holiday country and a period ending before it starts are refused naming the field', async () => {
    const hours = await ctx.call(getBusinessHours, {}, actor);
    expect(hours).toMatchObject({ timeZone: 'Europe/Berlin', publicHolidays: { country: 'DE' }, version: 2 });
    const refused = async (payload: unknown, field: string) => {
      const error = (await ctx.call(putBusinessHours, payload as never, actor).then(() => undefined, (e: unknown) => e)) as RemoteError;
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain(field);
    };
    await refused({ hours: { timeZone: 'Europe/Berlin', weekly: {}, publicHolidays: { country: 'XX' } } }, 'hours.publicHolidays.country');
    await refused({ hours: { timeZone: 'Europe/Berlin', weekly: { '1': [{ start: '17:00', end: '09:00' }] } } }, 'end');
    await refused({ hours: { timeZone: 'Mars/Olympus', weekly: {} } }, 'timeZone');
  });
});
