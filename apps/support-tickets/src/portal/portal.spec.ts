import { randomUUID } from 'node:crypto';
import {
  Actor,
  addTicketMessage,
  createPortalTicket,
  getPortalTicket,
  listPortalTickets,
  redeemPortalLink,
  replyToPortalTicket,
  requestPortalLink,
  updateTicket,
} from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** The self-service portal over the bus against a real database: one-time links, and each customer's own tickets only. */
describe('customer portal', () => {
  let ctx: SupportTicketsTestContext;
  let tenantId: string;
  let gateway: Actor;
  let agent: Actor;
  const alice = { email: 'alice@customer.example' };
  const bob = { email: 'bob@customer.example' };
  /** Who the gateway says calls for an anonymous portal visitor (the handlers take the tenant from the request or the token). */
  const visitor: Actor = { tenantId: 'public', userId: 'portal-visitor', roles: [] };

  beforeAll(async () => {
    // The sender never reaches a server here: the queued row is what the tests read.
    ctx = await SupportTicketsTestContext.start({ SUPPORT_TICKETS_SMTP_URL: 'smtp://127.0.0.1:9', SUPPORT_TICKETS_PORTAL_LINK_MINUTES: '15' });
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    tenantId = `tenant-${randomUUID()}`;
    gateway = { tenantId, userId: 'portal-customer', roles: [] };
    agent = { tenantId, userId: randomUUID(), roles: ['support'] };
  });

  const linkSentTo = async (email: string): Promise<string | undefined> => {
    const row = await ctx.database
      .selectFrom('outgoing_email')
      .select('body')
      .where('tenant_id', '=', tenantId)
      .where('to_address', '=', email)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row && new URL(/https?:\/\/\S+/.exec(row.body)![0]).searchParams.get('token')!;
  };

  it('sends a one-time link only to an address with tickets, answering the same either way; the link works once', async () => {
    expect(await ctx.call(requestPortalLink, { tenantId, email: 'Alice@Customer.example' }, visitor)).toEqual({ accepted: true });
    expect(await linkSentTo(alice.email)).toBeUndefined();

    await ctx.call(createPortalTicket, { customer: alice, ticket: { subject: 'Invoice twice', body: 'I was charged twice.' } }, gateway);
    expect(await ctx.call(requestPortalLink, { tenantId, email: 'Alice@Customer.example' }, visitor)).toEqual({ accepted: true });
    const token = await linkSentTo(alice.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await ctx.database.selectFrom('portal_sign_in_link').select('token_hash').where('tenant_id', '=', tenantId).execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    expect(await ctx.call(redeemPortalLink, { token: token! }, visitor)).toEqual({ tenantId, email: alice.email });
    await expectRemoteError(ctx.call(redeemPortalLink, { token: token! }, visitor), 'UNAUTHENTICATED');
    await expectRemoteError(ctx.call(redeemPortalLink, { token: 'x'.repeat(43) }, visitor), 'UNAUTHENTICATED');
  });

  it('refuses an expired link', async () => {
    await ctx.call(createPortalTicket, { customer: alice, ticket: { subject: 'Late', body: 'Where is it?' } }, gateway);
    await ctx.call(requestPortalLink, { tenantId, email: alice.email }, visitor);
    const token = (await linkSentTo(alice.email))!;
    await ctx.database.updateTable('portal_sign_in_link').set({ expires_at: new Date(Date.now() - 1000) }).where('tenant_id', '=', tenantId).execute();
    await expectRemoteError(ctx.call(redeemPortalLink, { token }, visitor), 'UNAUTHENTICATED');
  });

  it("keeps customers apart in one tenant: B cannot read or answer A's ticket (not found), nor list it", async () => {
    const mine = await ctx.call(createPortalTicket, { customer: alice, ticket: { subject: 'My order', body: 'It broke.' } }, gateway);
    const theirs = await ctx.call(createPortalTicket, { customer: bob, ticket: { subject: 'Bob order', body: 'Mine too.' } }, gateway);
    expect(mine).toMatchObject({ number: 1, status: 'new', channel: 'portal', messages: [expect.objectContaining({ authorType: 'customer', body: 'It broke.' })] });

    await expectRemoteError(ctx.call(getPortalTicket, { customer: bob, id: mine.id }, gateway), 'NOT_FOUND');
    await expectRemoteError(ctx.call(replyToPortalTicket, { customer: bob, id: mine.id, body: 'hijack' }, gateway), 'NOT_FOUND');
    const bobs = await ctx.call(listPortalTickets, { customer: bob }, gateway);
    expect(bobs.data.map((t) => t.id)).toEqual([theirs.id]);
    // Another tenant's portal does not see it either, even for the same address.
    const elsewhere: Actor = { tenantId: `tenant-${randomUUID()}`, userId: 'portal-customer', roles: [] };
    await expectRemoteError(ctx.call(getPortalTicket, { customer: alice, id: mine.id }, elsewhere), 'NOT_FOUND');
    const thread = await ctx.call(getPortalTicket, { customer: alice, id: mine.id }, gateway);
    expect(thread.messages.map((m) => m.body)).toEqual(['It broke.']);
  });

  it('shows public replies but never internal notes; a reply reopens a solved ticket; a closed one takes none', async () => {
    const ticket = await ctx.call(createPortalTicket, { customer: alice, ticket: { subject: 'Refund', body: 'Please refund.' } }, gateway);
    await ctx.call(addTicketMessage, { id: ticket.id, message: { kind: 'internal', body: 'Customer is on the watch list.' } }, agent);
    await ctx.call(addTicketMessage, { id: ticket.id, message: { kind: 'public', body: 'Refund is on its way.' } }, agent);
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved' } }, agent);

    const seen = await ctx.call(getPortalTicket, { customer: alice, id: ticket.id }, gateway);
    expect(seen.status).toBe('solved');
    expect(seen.messages.map((m) => [m.authorType, m.body])).toEqual([
      ['customer', 'Please refund.'],
      ['agent', 'Refund is on its way.'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('watch list');

    const reopened = await ctx.call(replyToPortalTicket, { customer: alice, id: ticket.id, body: 'Not received yet.' }, gateway);
    expect(reopened).toMatchObject({ status: 'open' });
    expect(reopened.messages.at(-1)).toMatchObject({ authorType: 'customer', body: 'Not received yet.' });

    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'closed' } }, agent);
    await expectRemoteError(ctx.call(replyToPortalTicket, { customer: alice, id: ticket.id, body: 'Hello?' }, gateway), 'CONFLICT');
  });

  it('pages the customer’s own tickets, newest first', async () => {
    for (let i = 1; i <= 3; i++) await ctx.call(createPortalTicket, { customer: alice, ticket: { subject: `T${i}`, body: 'x' } }, gateway);
    const first = await ctx.call(listPortalTickets, { customer: alice, limit: 2 }, gateway);
    expect(first.data.map((t) => t.subject)).toEqual(['T3', 'T2']);
    const second = await ctx.call(listPortalTickets, { customer: alice, limit: 2, cursor: first.nextCursor! }, gateway);
    expect(second).toEqual({ data: [expect.objectContaining({ subject: 'T1' })], nextCursor: null });
    expect(second.data[0]).not.toHaveProperty('assigneeId');
  });
});
