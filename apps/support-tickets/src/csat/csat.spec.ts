import { randomUUID } from 'node:crypto';
import { Actor, createPortalTicket, defineMailbox, getCsatSurvey, getTicket, rateTicket, ticketCsatReceived, updateTicket } from '@crm/contracts';
import { AppConfig } from '../app.config';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';
import { CsatTokens } from './csat-tokens';

/** CSAT over a real database and broker: the survey email once solved (from the service's own event), and the rating by its signed link. */
describe('CSAT', () => {
  let ctx: SupportTicketsTestContext;
  let agent: Actor;
  let gateway: Actor;
  const visitor: Actor = { tenantId: 'public', userId: 'csat-link', roles: [] };

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start({ SUPPORT_TICKETS_SMTP_URL: 'smtp://127.0.0.1:9', SUPPORT_TICKETS_PUBLIC_BASE_URL: 'https://crm.example' });
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    const tenantId = `tenant-${randomUUID()}`;
    agent = { tenantId, userId: randomUUID(), roles: ['support'] };
    gateway = { tenantId, userId: 'portal-customer', roles: [] };
  });

  /** The survey emails of the ticket, once `wantAtLeast` are queued or `waitMs` has passed. */
  const surveysOf = async (ticketId: string, wantAtLeast = 1, waitMs = 10_000) => {
    const until = Date.now() + waitMs;
    for (;;) {
      const rows = await ctx.database.selectFrom('outgoing_email').select(['body', 'subject', 'to_address']).where('ticket_id', '=', ticketId).where('subject', 'like', '%How did we do?').execute();
      if (rows.length >= wantAtLeast || Date.now() > until) return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('emails one survey once solved; the signed link records the rating (changed by a second click) and announces it', async () => {
    await ctx.call(defineMailbox, { address: `help-${randomUUID()}@shop.example` }, agent);
    const ticket = await ctx.call(createPortalTicket, { customer: { email: 'fay@customer.example' }, ticket: { subject: 'Broken zip', body: 'The zip broke.' } }, gateway);
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved' } }, agent);
    const [survey] = await surveysOf(ticket.id);
    expect(survey).toMatchObject({ to_address: 'fay@customer.example', subject: `[#${ticket.number}] How did we do?` });
    const good = /https:\/\/crm\.example\/api\/v1\/public\/csat\/([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})\?rating=good/.exec(survey.body);
    expect(good).not.toBeNull();
    const token = good?.[1] ?? '';

    expect(await ctx.call(getCsatSurvey, { token }, visitor)).toEqual({ ticketNumber: ticket.number, subject: 'Broken zip', rating: null });
    expect(await ctx.call(rateTicket, { token, rating: 'good', comment: 'Quick, thanks!' }, visitor)).toEqual({ ticketNumber: ticket.number, rating: 'good' });
    expect(await ctx.call(rateTicket, { token, rating: 'bad' }, visitor)).toMatchObject({ rating: 'bad' });
    const rated = await ctx.call(getTicket, { id: ticket.id }, agent);
    expect(rated.satisfaction).toMatchObject({ rating: 'bad', comment: null, ratedAt: expect.any(String) });
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('type', '=', ticketCsatReceived.name).where('subject', '=', ticket.id).execute();
    expect(events).toHaveLength(2);

    // Solved again after a reopen: no second survey; while open it cannot be rated.
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'open' } }, agent);
    await expectRemoteError(ctx.call(rateTicket, { token, rating: 'good' }, visitor), 'CONFLICT');
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved' } }, agent);
    expect(await surveysOf(ticket.id, 2, 1_500)).toHaveLength(1);
  });

  it('refuses a link not signed by us or signed for another tenant, naming the token; a tenant without a mailbox sends no survey', async () => {
    // A real ticket's id with a MAC we did not make, and one signed for another tenant.
    const mine = await ctx.call(createPortalTicket, { customer: { email: 'hal@customer.example' }, ticket: { subject: 'x', body: 'y' } }, gateway);
    const idPart = Buffer.from(mine.id.replace(/-/g, ''), 'hex').toString('base64url');
    const forged = `${idPart}.${'A'.repeat(22)}`;
    const refused = await expectRemoteError(ctx.call(rateTicket, { token: forged, rating: 'good' }, visitor), 'VALIDATION_FAILED');
    expect(JSON.stringify(refused.details)).toContain('token');
    await expectRemoteError(ctx.call(getCsatSurvey, { token: forged }, visitor), 'VALIDATION_FAILED');
    const otherTenants = new CsatTokens(AppConfig.load({})).sign({ tenantId: `tenant-${randomUUID()}`, ticketId: mine.id });
    await expectRemoteError(ctx.call(rateTicket, { token: otherTenants, rating: 'good' }, visitor), 'VALIDATION_FAILED');

    const { id } = await ctx.call(updateTicket, { id: (await ctx.call(createPortalTicket, { customer: { email: 'gus@customer.example' }, ticket: { subject: 'x', body: 'y' } }, gateway)).id, patch: { status: 'solved' } }, agent);
    // No mailbox in this tenant: nothing to send from.
    expect(await surveysOf(id, 1, 1_500)).toEqual([]);
  });
});
