import { randomUUID } from 'node:crypto';
import { Actor, addTicketMessage, contactErased, contactIdentified, contactMerged, createTicket, defineMailbox, getTicket, receiveEmail, ticketUpdated } from '@crm/contracts';
import { TestEventBus, testEnvelope } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { freshMimeFixture } from '../testing/mime-fixtures';
import { SupportTicketsTestContext } from '../testing/support-tickets-test-context';

/** The contacts service's merge and erasure events, delivered on the real broker: tickets follow their requester. */
describe('requesters: sender identified, contact merged and erased', () => {
  let ctx: SupportTicketsTestContext;
  let bus: TestEventBus;
  const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
    const config = ctx.service.config as AppConfig;
    bus = await TestEventBus.connect({ rabbitmqUrl: config.RABBITMQ_URL, prefix: config.BUS_NAME_PREFIX, service: SERVICE_NAME });
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
  });

  /** Reads until `done` holds (the service also consumes its own ticket events meanwhile). */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let waited = 0; ; waited += 100) {
      const value = await read();
      if (done(value) || waited > 10_000) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("an identified sender's tickets become the contact's (version moved on, ticket.updated with requesterId); other senders' and linked tickets stay", async () => {
    await ctx.call(defineMailbox, { address: 'support@acme.example' }, actor);
    const receive = async (file: string) => {
      const { ticketId } = await ctx.call(receiveEmail, { raw: freshMimeFixture(file).toString('base64') }, actor);
      return ctx.call(getTicket, { id: ticketId as string }, actor);
    };
    // `second` is older: already linked (to someone else, as an agent may have set it).
    const [second, first, stranger] = [await receive('plain.eml'), await receive('plain.eml'), await receive('html-only.eml')];
    expect([first.requesterEmail, first.requesterId, stranger.requesterEmail]).toEqual(['jane@customer.example', null, 'tom@becker.example']);
    const earlier = randomUUID();
    await ctx.database.updateTable('ticket').set({ requester_id: earlier }).where('id', '=', second.id).execute();

    const contactId = randomUUID();
    const identified = { contactId, email: 'Jane@Customer.example', created: true, source: { service: 'contacts', recordId: first.id } };
    await bus.deliver(testEnvelope(contactIdentified, identified, { tenantId: actor.tenantId, subject: contactId }));

    const linked = await until(() => ctx.call(getTicket, { id: first.id }, actor), (t) => t.requesterId !== null);
    expect(linked).toMatchObject({ requesterId: contactId, version: first.version + 1 });
    expect(linked.messages[0]).toMatchObject({ authorType: 'customer', authorId: contactId });
    expect((await ctx.call(getTicket, { id: second.id }, actor)).requesterId).toBe(earlier);
    expect((await ctx.call(getTicket, { id: stranger.id }, actor)).requesterId).toBeNull();
    const events = await ctx.database.selectFrom('outbox_message').select(['type', 'envelope']).where('subject', '=', first.id).where('type', '=', ticketUpdated.name).execute();
    expect(events.map((e) => (e.envelope as { data: { changed: string[]; ticket: { requesterId: string } } }).data)).toEqual([
      expect.objectContaining({ changed: ['requesterId'], ticket: expect.objectContaining({ requesterId: contactId }) }),
    ]);
    // The sender is known now: their next email's ticket is the contact's from the start.
    const next = await receive('plain.eml');
    expect(next).toMatchObject({ requesterId: contactId, version: 1 });
    expect(next.messages[0].authorId).toBe(contactId);
    // The same address in another tenant is another person's.
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await bus.deliver(testEnvelope(contactIdentified, { ...identified, contactId: randomUUID() }, { tenantId: other.tenantId, subject: contactId }));
    expect((await ctx.call(getTicket, { id: first.id }, actor)).requesterId).toBe(contactId);
  });

  it('a merged contact’s tickets and messages move to the surviving contact', async () => {
    const merged = randomUUID();
    const survivor = randomUUID();
    const ticket = await ctx.call(createTicket, { ticket: { subject: 'Old account', body: 'Help', requesterId: merged } }, actor);
    const contact = { id: survivor, firstName: 'S', lastName: null, title: null, emails: [], phones: [], addresses: [], companyId: null, ownerId: null, tags: [], lifecycleStage: 'customer' as const, customFields: {}, version: 3, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), deletedAt: null };
    await bus.deliver(testEnvelope(contactMerged, { contact, mergedId: merged }, { tenantId: actor.tenantId, subject: survivor, version: 3 }));
    const moved = await until(() => ctx.call(getTicket, { id: ticket.id }, actor), (t) => t.requesterId === survivor);
    expect(moved.requesterId).toBe(survivor);
    expect(moved.messages[0]).toMatchObject({ authorType: 'customer', authorId: survivor });
  });

  it("an erased contact's words leave their tickets; the agents' replies and the ticket itself stay; another tenant's are untouched", async () => {
    const contactId = randomUUID();
    const ticket = await ctx.call(createTicket, { ticket: { subject: 'My address is 1 Main St', body: 'Call me on +49 170 1234567', requesterId: contactId } }, actor);
    await ctx.call(addTicketMessage, { id: ticket.id, message: { kind: 'public', body: 'We will call you.' } }, actor);
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    const elsewhere = await ctx.call(createTicket, { ticket: { subject: 'Same id, other tenant', body: 'Keep me', requesterId: contactId } }, other);

    await bus.deliver(testEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, { tenantId: actor.tenantId, subject: contactId }));
    const erased = await until(() => ctx.call(getTicket, { id: ticket.id }, actor), (t) => t.subject === '(erased)');
    expect(erased).toMatchObject({ subject: '(erased)', requesterEmail: null, number: ticket.number });
    expect(erased.messages.map((m) => [m.authorType, m.body])).toEqual([
      ['customer', '(erased)'],
      ['agent', 'We will call you.'],
    ]);
    expect((await ctx.call(getTicket, { id: elsewhere.id }, other)).messages[0].body).toBe('Keep me');
  });
});
