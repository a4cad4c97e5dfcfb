import { randomUUID } from 'node:crypto';
import { Actor, addTicketMessage, createTicket, defineMailbox, getTicket, mergeTickets, receiveEmail, ticketMerged, ticketUpdated, updateTicket } from '@crm/contracts';
import { freshMimeFixture } from '../../testing/mime-fixtures';
import { expectRemoteError, IDLE_MAIL_SENDER, SupportTicketsTestContext } from '../../testing/support-tickets-test-context';

/** Merging two tickets over the bus against a real database and broker: the thread, the notes, the close, email threading after it, the rules, tenants. */
describe('merge tickets', () => {
  let ctx: SupportTicketsTestContext;
  const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start(IDLE_MAIL_SENDER);
    await ctx.call(defineMailbox, { address: 'support@acme.example' }, actor);
  });
  afterAll(() => ctx?.close());

  const newTicket = (subject: string, body: string, as: Actor = actor) => ctx.call(createTicket, { ticket: { subject, body, requesterId: randomUUID() } }, as);
  const read = (id: string) => ctx.call(getTicket, { id }, actor);
  const receive = async (name: string, values: Record<string, string | number> = {}) => {
    return ctx.call(receiveEmail, { raw: freshMimeFixture(name, values).toString('base64') }, actor);
  };
  const events = (subject: string) => ctx.database.selectFrom('outbox_message').select(['type', 'envelope']).where('subject', '=', subject).orderBy('seq').execute();

  it("moves the source's thread into the target in time order, notes both, closes the source as merged; asked again, changes nothing", async () => {
    const target = await newTicket('Printer jams', 'It jams on page 2.');
    const source = await newTicket('Printer still jams', 'Same printer, page 3 now.');
    await ctx.call(addTicketMessage, { id: target.id, message: { kind: 'public', body: 'Try the rear tray.' } }, actor);

    const merged = await ctx.call(mergeTickets, { id: target.id, sourceId: source.id, expectedVersion: 2 }, actor);
    expect(merged).toMatchObject({ id: target.id, version: 3, mergedIntoId: null, status: 'open' });
    expect(merged.messages.map((m) => [m.authorType, m.kind, m.body])).toEqual([
      ['customer', 'public', 'It jams on page 2.'],
      ['customer', 'public', 'Same printer, page 3 now.'],
      ['agent', 'public', 'Try the rear tray.'],
      ['system', 'internal', `Ticket #${source.number} “Printer still jams” was merged into this ticket.`],
    ]);
    const closed = await read(source.id);
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: target.id, version: 2 });
    expect(closed.messages.map((m) => m.body)).toEqual([`Merged into ticket #${target.number}.`]);

    const sourceEvents = (await events(source.id)).filter((e) => e.type === ticketUpdated.name);
    expect(sourceEvents.map((e) => (e.envelope as { data: { changed: string[] } }).data.changed)).toEqual([['status', 'mergedIntoId']]);
    const targetEvents = (await events(target.id)).filter((e) => e.type === ticketMerged.name);
    expect(targetEvents.map((e) => (e.envelope as { data: { sourceId: string; ticket: { version: number } } }).data)).toEqual([
      expect.objectContaining({ sourceId: source.id, ticket: expect.objectContaining({ version: 3 }) }),
    ]);

    // A retry of the same request: the target as it is, no second note, no second event.
    const again = await ctx.call(mergeTickets, { id: target.id, sourceId: source.id, expectedVersion: 2 }, actor);
    expect(again).toMatchObject({ version: 3 });
    expect(again.messages).toHaveLength(4);
    expect((await events(target.id)).filter((e) => e.type === ticketMerged.name)).toHaveLength(1);
  });

  it("refuses a stale If-Match, itself, a closed target, a source merged elsewhere or closed, and another tenant's tickets", async () => {
    const target = await newTicket('A', 'a');
    const source = await newTicket('B', 'b');
    const third = await newTicket('C', 'c');
    await expectRemoteError(ctx.call(mergeTickets, { id: target.id, sourceId: source.id, expectedVersion: 7 }, actor), 'PRECONDITION_FAILED');
    await expectRemoteError(ctx.call(mergeTickets, { id: target.id, sourceId: target.id }, actor), 'CONFLICT');

    await ctx.call(mergeTickets, { id: third.id, sourceId: source.id }, actor);
    const elsewhere = await expectRemoteError(ctx.call(mergeTickets, { id: target.id, sourceId: source.id }, actor), 'CONFLICT');
    expect(elsewhere.message).toMatch(/merged into another ticket/);
    await expectRemoteError(ctx.call(mergeTickets, { id: source.id, sourceId: target.id }, actor), 'CONFLICT');

    const done = await newTicket('D', 'd');
    await ctx.call(updateTicket, { id: done.id, patch: { status: 'closed' } }, actor);
    await expectRemoteError(ctx.call(mergeTickets, { id: target.id, sourceId: done.id }, actor), 'CONFLICT');

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    const theirs = await newTicket('E', 'e', other);
    await expectRemoteError(ctx.call(mergeTickets, { id: target.id, sourceId: theirs.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(mergeTickets, { id: theirs.id, sourceId: target.id }, actor), 'NOT_FOUND');
    expect((await read(target.id)).version).toBe(1);
  });

  it("threads the customer's later replies to the source into the target: by In-Reply-To, by reply-to token and by [#number]", async () => {
    const source = await read((await receive('plain.eml')).ticketId as string);
    const target = await read((await receive('plain.eml')).ticketId as string);
    const firstMessageId = (await ctx.database.selectFrom('ticket_message').select('email_message_id').where('ticket_id', '=', source.id).executeTakeFirstOrThrow())
      .email_message_id as string;
    const token = (await ctx.database.selectFrom('ticket').select('reply_token').where('id', '=', source.id).executeTakeFirstOrThrow()).reply_token;
    await ctx.call(mergeTickets, { id: target.id, sourceId: source.id }, actor);

    const byHeaders = await receive('gmail-reply.eml', { number: 999_999, replyTo: 'support@acme.example', lastMessageId: firstMessageId, firstMessageId });
    const byToken = await receive('gmail-reply.eml', { number: 999_998, replyTo: `support+${token}@acme.example`, lastMessageId: '<lost@x.example>', firstMessageId: '<lost2@x.example>' });
    const byNumber = await receive('outlook-reply.eml', { number: source.number });
    expect([byHeaders, byToken, byNumber].map((r) => [r.outcome, r.ticketId])).toEqual([
      ['replied', target.id],
      ['replied', target.id],
      ['replied', target.id],
    ]);
    expect((await read(source.id)).messages).toHaveLength(1);
  });
});
