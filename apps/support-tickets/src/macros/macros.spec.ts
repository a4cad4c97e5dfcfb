import { randomUUID } from 'node:crypto';
import { Actor, applyMacro, createMacro, createTicket, deleteMacro, listMacros, ticketMessageAdded, ticketUpdated, updateMacro } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** Macros over a real database and broker: a rendered reply and field changes applied in one step. */
describe('macros', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  });

  const ticket = () => ctx.call(createTicket, { ticket: { subject: 'Refund please', body: 'Charged twice.', tags: ['billing', 'new-customer'] } }, actor);

  it('renders the reply for the ticket, adds it as the agent, sets the fields and tags, and publishes each step', async () => {
    const macro = await ctx.call(
      createMacro,
      {
        macro: {
          name: 'Refund on its way',
          reply: { kind: 'public', body: 'About #{{ ticket.number }} ({{ ticket.subject }}): your refund is on its way.{{ nothing.here }}' },
          set: { status: 'pending', priority: 'high' },
          addTags: ['refund'],
          removeTags: ['new-customer'],
        },
      },
      actor,
    );
    const target = await ticket();
    await expectRemoteError(ctx.call(applyMacro, { id: macro.id, ticketId: target.id, expectedVersion: 9 }, actor), 'PRECONDITION_FAILED');
    const applied = await ctx.call(applyMacro, { id: macro.id, ticketId: target.id, expectedVersion: 1 }, actor);
    expect(applied).toMatchObject({ status: 'pending', priority: 'high', tags: ['billing', 'refund'], version: 3 });
    expect(applied.messages.at(-1)).toMatchObject({ kind: 'public', authorType: 'agent', authorId: actor.userId, body: 'About #1 (Refund please): your refund is on its way.' });
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', target.id).orderBy('seq').execute();
    expect(events.map((e) => e.type).slice(1)).toEqual([ticketMessageAdded.name, ticketUpdated.name]);
  });

  it('a note-only macro keeps the status; a closed ticket takes no macro and nothing is added to it', async () => {
    const note = await ctx.call(createMacro, { macro: { name: 'Escalate', reply: { kind: 'internal', body: 'Escalated by {{ agent.id }}' } } }, actor);
    const target = await ticket();
    const noted = await ctx.call(applyMacro, { id: note.id, ticketId: target.id }, actor);
    expect(noted).toMatchObject({ status: 'new', version: 2 });
    expect(noted.messages.at(-1)).toMatchObject({ kind: 'internal', body: `Escalated by ${actor.userId}` });

    const close = await ctx.call(createMacro, { macro: { name: 'Close', set: { status: 'closed' } } }, actor);
    await ctx.call(applyMacro, { id: close.id, ticketId: target.id }, actor);
    await expectRemoteError(ctx.call(applyMacro, { id: note.id, ticketId: target.id }, actor), 'CONFLICT');
    const messages = await ctx.database.selectFrom('ticket_message').select('id').where('ticket_id', '=', target.id).execute();
    expect(messages).toHaveLength(2);
  });

  it('refuses an empty macro and a broken template naming the field, a name twice; If-Match on changes; tenants apart', async () => {
    const empty = await expectRemoteError(ctx.call(createMacro, { macro: { name: 'Nothing' } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(empty.details)).toContain('macro.reply');
    const broken = await expectRemoteError(ctx.call(createMacro, { macro: { name: 'Broken', reply: { kind: 'public', body: 'Hi {% if %}' } } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(broken.details)).toContain('reply.body');
    const made = await ctx.call(createMacro, { macro: { name: 'Tag VIP', addTags: ['vip'] } }, actor);
    await expectRemoteError(ctx.call(createMacro, { macro: { name: 'Tag VIP', addTags: ['x'] } }, actor), 'CONFLICT');
    await expectRemoteError(ctx.call(updateMacro, { id: made.id, expectedVersion: 2, patch: { name: 'VIP' } }, actor), 'PRECONDITION_FAILED');
    expect(await ctx.call(updateMacro, { id: made.id, expectedVersion: 1, patch: { name: 'VIP' } }, actor)).toMatchObject({ name: 'VIP', addTags: ['vip'], version: 2 });

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect((await ctx.call(listMacros, {}, other)).data).toEqual([]);
    const theirs = await ctx.call(createTicket, { ticket: { subject: 'x', body: 'y' } }, other);
    await expectRemoteError(ctx.call(applyMacro, { id: made.id, ticketId: theirs.id }, other), 'NOT_FOUND');
    expect(await ctx.call(deleteMacro, { id: made.id }, other)).toEqual({ deleted: false });
    expect(await ctx.call(deleteMacro, { id: made.id }, actor)).toEqual({ deleted: true });
  });
});
