import { randomUUID } from 'node:crypto';
import { Actor, addTicketMessage, createTicket, getTicket, listTickets, ticketCreated, ticketMessageAdded, updateTicket } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** Tickets over the bus against a real database and broker: numbering, the thread, status rules, If-Match, tenants, events. */
describe('tickets', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  });

  const newTicket = (overrides: Record<string, unknown> = {}) =>
    ctx.call(
      createTicket,
      { ticket: { subject: 'The parcel never came', body: 'Ordered on Monday, nothing yet.', channel: 'email', requesterId: randomUUID(), ...overrides } },
      actor,
    );

  it('numbers tickets per tenant and keeps the first message as the thread', async () => {
    const first = await newTicket();
    const second = await newTicket({ subject: 'Wrong size', requesterId: null, channel: 'phone' });
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({ status: 'new', priority: 'normal', channel: 'email', version: 1, solvedAt: null });
    expect(first.messages).toEqual([
      expect.objectContaining({ kind: 'public', authorType: 'customer', authorId: first.requesterId, body: 'Ordered on Monday, nothing yet.' }),
    ]);
    expect(second.messages[0]).toMatchObject({ authorType: 'agent', authorId: actor.userId });

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect((await ctx.call(createTicket, { ticket: { subject: 'Elsewhere', body: 'x' } }, other)).number).toBe(1);
    await expectRemoteError(ctx.call(getTicket, { id: first.id }, other), 'NOT_FOUND');
    const created = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', first.id).execute();
    expect(created.map((r) => r.type)).toEqual([ticketCreated.name]);
  });

  it('a public reply opens a new ticket; a note keeps it; both are on the thread in order; If-Match catches two agents at once', async () => {
    const ticket = await newTicket();
    const note = await ctx.call(addTicketMessage, { id: ticket.id, message: { kind: 'internal', body: 'Check with the carrier.' } }, actor);
    expect(note).toMatchObject({ status: 'new', version: 2 });
    await expectRemoteError(
      ctx.call(addTicketMessage, { id: ticket.id, expectedVersion: 1, message: { kind: 'public', body: 'late' } }, actor),
      'PRECONDITION_FAILED',
    );
    const reply = await ctx.call(addTicketMessage, { id: ticket.id, expectedVersion: 2, message: { kind: 'public', body: 'It is on its way.' } }, actor);
    expect(reply).toMatchObject({ status: 'open', version: 3 });
    expect(reply.messages.map((m) => [m.kind, m.body])).toEqual([
      ['public', 'Ordered on Monday, nothing yet.'],
      ['internal', 'Check with the carrier.'],
      ['public', 'It is on its way.'],
    ]);
    const events = await ctx.database
      .selectFrom('outbox_message')
      .select('envelope')
      .where('type', '=', ticketMessageAdded.name)
      .where('subject', '=', ticket.id)
      .execute();
    expect(events.map((e) => (e.envelope as { data: { message: Record<string, unknown> } }).data.message)).toEqual([
      expect.not.objectContaining({ body: expect.anything() }),
      expect.not.objectContaining({ body: expect.anything() }),
    ]);
  });

  it('solves (recording when), reopens (clearing it), closes, and a closed ticket takes no more changes', async () => {
    const ticket = await newTicket();
    const assignee = randomUUID();
    const solved = await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved', assigneeId: assignee, tags: ['carrier', 'carrier'] } }, actor);
    expect(solved).toMatchObject({ status: 'solved', assigneeId: assignee, tags: ['carrier'] });
    expect(solved.solvedAt).not.toBeNull();
    const reopened = await ctx.call(updateTicket, { id: ticket.id, expectedVersion: solved.version, patch: { status: 'open' } }, actor);
    expect(reopened).toMatchObject({ status: 'open', solvedAt: null });
    expect(await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'open' } }, actor)).toMatchObject({ version: reopened.version });
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'closed' } }, actor);
    const conflict = await expectRemoteError(ctx.call(updateTicket, { id: ticket.id, patch: { priority: 'high' } }, actor), 'CONFLICT');
    expect(conflict.details).toMatchObject({ problemCode: 'INVALID_STATUS_TRANSITION' });
    await expectRemoteError(ctx.call(addTicketMessage, { id: ticket.id, message: { kind: 'public', body: 'again' } }, actor), 'CONFLICT');
  });

  it('lists newest first by status, assignee and requester, a page at a time; a bad cursor is a 400 naming it', async () => {
    const requester = randomUUID();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newTicket({ subject: `Ticket ${i}`, requesterId: i < 3 ? requester : randomUUID() }));
    await ctx.call(updateTicket, { id: made[4].id, patch: { status: 'pending' } }, actor);
    const first = await ctx.call(listTickets, { limit: 2 }, actor);
    expect(first.data.map((t) => t.subject)).toEqual(['Ticket 4', 'Ticket 3']);
    const second = await ctx.call(listTickets, { limit: 2, cursor: first.nextCursor as string }, actor);
    expect(second.data.map((t) => t.subject)).toEqual(['Ticket 2', 'Ticket 1']);
    expect((await ctx.call(listTickets, { filter: { requesterId: requester } }, actor)).data).toHaveLength(3);
    expect((await ctx.call(listTickets, { filter: { status: 'pending' } }, actor)).data.map((t) => t.id)).toEqual([made[4].id]);
    const bad = await expectRemoteError(ctx.call(listTickets, { cursor: 'not-a-cursor' }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(bad.details)).toContain('cursor');
  });
});
