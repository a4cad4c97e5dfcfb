import { randomUUID } from 'node:crypto';
import { Actor, chatEnded, endChat, getChat, getPortalTicket, getTicket, postChatLine, startChat } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** Live chat's record over the bus against a real database (the WebSocket is the gateway's; see the e2e test). */
describe('live chat', () => {
  let ctx: SupportTicketsTestContext;
  let gateway: Actor;
  let agentActor: Actor;
  const customer = { type: 'customer' as const, email: 'carol@customer.example' };
  let agent: { type: 'agent'; userId: string };

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    const tenantId = `tenant-${randomUUID()}`;
    gateway = { tenantId, userId: 'portal-customer', roles: [] };
    agentActor = { tenantId, userId: randomUUID(), roles: ['support'] };
    agent = { type: 'agent', userId: agentActor.userId };
  });

  it('opens a chat ticket, lets the first agent take it, keeps every line, and lands the transcript on the ticket when it ends', async () => {
    const chat = await ctx.call(startChat, { customer: { email: customer.email }, subject: 'Cannot log in' }, gateway);
    expect(chat).toMatchObject({ status: 'waiting', agentId: null, ticketNumber: 1, customerEmail: customer.email });

    await ctx.call(postChatLine, { id: chat.id, participant: customer, body: 'Hi, my login fails.' }, gateway);
    await ctx.call(postChatLine, { id: chat.id, participant: agent, body: 'Let me check that for you.' }, agentActor);
    const during = await ctx.call(getChat, { id: chat.id, participant: agent }, agentActor);
    expect(during).toMatchObject({ status: 'active', agentId: agent.userId });
    expect(during.lines.map((l) => [l.authorType, l.body])).toEqual([
      ['customer', 'Hi, my login fails.'],
      ['agent', 'Let me check that for you.'],
    ]);

    const ended = await ctx.call(endChat, { id: chat.id, participant: customer }, gateway);
    expect(ended).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    expect(await ctx.call(endChat, { id: chat.id, participant: agent }, agentActor)).toMatchObject({ status: 'ended', endedAt: ended.endedAt });
    await expectRemoteError(ctx.call(postChatLine, { id: chat.id, participant: customer, body: 'still there?' }, gateway), 'CONFLICT');

    const ticket = await ctx.call(getTicket, { id: chat.ticketId }, agentActor);
    expect(ticket).toMatchObject({ channel: 'chat', status: 'open', requesterEmail: customer.email });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({ kind: 'public', authorType: 'system' });
    expect(ticket.messages[0].body).toMatch(/Customer: Hi, my login fails\.\n.*Agent .*: Let me check that for you\./);
    // The customer sees the transcript in the portal.
    const theirs = await ctx.call(getPortalTicket, { customer: { email: customer.email }, id: chat.ticketId }, gateway);
    expect(theirs.messages[0].body).toContain('Let me check that for you.');
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', chat.id).execute();
    expect(events.map((e) => e.type)).toEqual([chatEnded.name]);
  });

  it("keeps another customer out of a chat (not found), and another tenant's agent too", async () => {
    const chat = await ctx.call(startChat, { customer: { email: customer.email }, subject: 'Private' }, gateway);
    const mallory = { type: 'customer' as const, email: 'mallory@customer.example' };
    await expectRemoteError(ctx.call(getChat, { id: chat.id, participant: mallory }, gateway), 'NOT_FOUND');
    await expectRemoteError(ctx.call(postChatLine, { id: chat.id, participant: mallory, body: 'hello' }, gateway), 'NOT_FOUND');
    await expectRemoteError(ctx.call(endChat, { id: chat.id, participant: mallory }, gateway), 'NOT_FOUND');
    const elsewhere: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
    await expectRemoteError(ctx.call(getChat, { id: chat.id, participant: { type: 'agent', userId: elsewhere.userId } }, elsewhere), 'NOT_FOUND');
  });
});
