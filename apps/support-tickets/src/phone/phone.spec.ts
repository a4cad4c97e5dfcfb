import { randomUUID } from 'node:crypto';
import { Actor, listPhoneCalls, logPhoneCall, phoneCallLogged, updateTicket } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** The phone call log over a real database and broker. */
describe('phone calls', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  });

  it('a call opens a phone ticket owned by the agent; a second call joins it as an internal note; both are listed', async () => {
    const first = await ctx.call(
      logPhoneCall,
      { call: { direction: 'inbound', phoneNumber: '+49 30 1234567', durationSeconds: 245, notes: 'Kettle leaks at the base.', subject: 'Leaking kettle', recordingUrl: 'https://calls.example/r/1' } },
      actor,
    );
    expect(first.ticket).toMatchObject({ channel: 'phone', status: 'open', assigneeId: actor.userId, subject: 'Leaking kettle' });
    expect(first.ticket.messages[0].body).toBe('Inbound call from +49 30 1234567, 4 min 5 s (recording: https://calls.example/r/1)\n\nKettle leaks at the base.');
    expect(first.call).toMatchObject({ direction: 'inbound', durationSeconds: 245, agentId: actor.userId, ticketId: first.ticket.id });

    const second = await ctx.call(logPhoneCall, { call: { direction: 'outbound', phoneNumber: '+49 30 1234567', durationSeconds: 40, notes: 'Sent a replacement.', ticketId: first.ticket.id } }, actor);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(second.ticket.messages.at(-1)).toMatchObject({ kind: 'internal', authorType: 'agent', body: 'Outbound call to +49 30 1234567, 40 s\n\nSent a replacement.' });
    const calls = await ctx.call(listPhoneCalls, { ticketId: first.ticket.id }, actor);
    expect(calls.data.map((c) => c.direction)).toEqual(['inbound', 'outbound']);
    const announced = await ctx.database.selectFrom('outbox_message').select('envelope').where('type', '=', phoneCallLogged.name).where('subject', '=', second.call.id).executeTakeFirstOrThrow();
    expect((announced.envelope as { data: { call: object } }).data.call).not.toHaveProperty('notes');
  });

  it('refuses a call without a subject or ticket, a bad number naming the field, a closed ticket, and another tenant\u2019s ticket', async () => {
    const noSubject = await expectRemoteError(ctx.call(logPhoneCall, { call: { direction: 'inbound', phoneNumber: '12345', durationSeconds: 1, notes: 'x' } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(noSubject.details)).toContain('call.subject');
    const badNumber = await expectRemoteError(ctx.call(logPhoneCall, { call: { direction: 'inbound', phoneNumber: 'call me', durationSeconds: 1, notes: 'x', subject: 's' } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(badNumber.details)).toContain('call.phoneNumber');

    const { ticket } = await ctx.call(logPhoneCall, { call: { direction: 'inbound', phoneNumber: '12345', durationSeconds: 1, notes: 'x', subject: 's' } }, actor);
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'closed' } }, actor);
    await expectRemoteError(ctx.call(logPhoneCall, { call: { direction: 'inbound', phoneNumber: '12345', durationSeconds: 1, notes: 'again', ticketId: ticket.id } }, actor), 'CONFLICT');
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await expectRemoteError(ctx.call(logPhoneCall, { call: { direction: 'inbound', phoneNumber: '12345', durationSeconds: 1, notes: 'x', ticketId: ticket.id } }, other), 'NOT_FOUND');
    expect((await ctx.call(listPhoneCalls, { ticketId: ticket.id }, other)).data).toEqual([]);
  });
});
