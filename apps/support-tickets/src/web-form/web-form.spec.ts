import { randomUUID } from 'node:crypto';
import { Actor, createSupportForm, getTicket, listSupportForms, listTickets, setSupportFormActive, submitSupportForm, supportFormOrigins } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** The public support web form over a real database and broker. */
describe('support web form', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;
  const webPage: Actor = { tenantId: 'public', userId: 'support-web-form', roles: [] };
  const submission = { name: 'Dana Lee', email: 'Dana@Customer.example', subject: 'Cannot pay', body: 'The checkout fails at the last step.' };

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['manager'] };
  });

  it("a submission becomes a web ticket of the form's tenant and group, the sender its requester; the origin must be allowed", async () => {
    const groupId = randomUUID();
    const form = await ctx.call(createSupportForm, { form: { name: 'Shop help', groupId, allowedOrigins: ['https://Shop.example'] } }, actor);
    expect(form).toMatchObject({ active: true, allowedOrigins: ['https://shop.example'], formKey: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });

    const answer = await ctx.call(submitSupportForm, { formKey: form.formKey, origin: 'https://shop.example', submission }, webPage);
    expect(answer).toEqual({ ticketNumber: 1, allowedOrigins: ['https://shop.example'] });
    const [ticket] = (await ctx.call(listTickets, {}, actor)).data;
    expect(ticket).toMatchObject({ channel: 'web', status: 'new', groupId, requesterEmail: 'dana@customer.example', requesterName: 'Dana Lee', subject: 'Cannot pay' });
    expect((await ctx.call(getTicket, { id: ticket.id }, actor)).messages[0]).toMatchObject({ authorType: 'customer', body: 'The checkout fails at the last step.' });

    await expectRemoteError(ctx.call(submitSupportForm, { formKey: form.formKey, origin: 'https://evil.example', submission }, webPage), 'FORBIDDEN');
    expect(await ctx.call(supportFormOrigins, { formKey: form.formKey }, webPage)).toEqual({ allowedOrigins: ['https://shop.example'] });
  });

  it('drops a honeypot submission with the same answer; an inactive or unknown key is not found; forms are per tenant', async () => {
    const form = await ctx.call(createSupportForm, { form: { name: 'Help' } }, actor);
    expect(await ctx.call(submitSupportForm, { formKey: form.formKey, submission: { ...submission, website: 'http://spam.example' } }, webPage)).toEqual({ ticketNumber: null, allowedOrigins: [] });
    expect((await ctx.call(listTickets, {}, actor)).data).toEqual([]);

    await ctx.call(setSupportFormActive, { id: form.id, active: false }, actor);
    await expectRemoteError(ctx.call(submitSupportForm, { formKey: form.formKey, submission }, webPage), 'NOT_FOUND');
    await expectRemoteError(ctx.call(supportFormOrigins, { formKey: 'x'.repeat(32) }, webPage), 'NOT_FOUND');
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect((await ctx.call(listSupportForms, {}, other)).data).toEqual([]);
    await expectRemoteError(ctx.call(setSupportFormActive, { id: form.id, active: true }, other), 'NOT_FOUND');
  });
});
