import { Actor, contactIdentified, EventEnvelope, getContact, listContactActivities, listContacts, Ticket, ticketCreated, ticketUpdated } from '@crm/contracts';
import { testEnvelope, ticketOf } from '@crm/testing';
import { ContactsTestContext } from '../testing/contacts-test-context';

let ticketNumber = 1000;

/** A ticket with its own number (titles tell tickets apart). */
const newTicket = (overrides: Partial<Ticket> = {}): Ticket => ticketOf({ number: ++ticketNumber, ...overrides });

describe("a contact's support tickets, and unknown senders made contacts (support events)", () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  const created = (ticket: Ticket) => testEnvelope(ticketCreated, { ticket }, { tenantId: actor.tenantId, subject: ticket.id, version: ticket.version });
  const updated = (ticket: Ticket, changed: string[]) =>
    testEnvelope(ticketUpdated, { ticket, changed }, { tenantId: actor.tenantId, subject: ticket.id, version: ticket.version });
  const identifiedFor = (ticketId: string) =>
    ctx.event((e: EventEnvelope) => e.type === contactIdentified.name && (e.data as { source: { recordId: string } }).source.recordId === ticketId);
  const timeline = async (contactId: string) => (await ctx.call(listContactActivities, { contactId, kind: 'ticket' }, actor)).data;

  it("files a known requester's tickets on their timeline and follows the ticket's changes", async () => {
    const contact = await ctx.newContact(actor);
    const ticket = newTicket({ requesterId: contact.id });
    await ctx.deliver(created(ticket));
    const solved = { ...ticket, status: 'solved' as const, version: 2, updatedAt: new Date().toISOString() };
    // Out of order and redelivered: the newer version stays.
    await ctx.deliver(updated(solved, ['status']), created(ticket));

    expect(await timeline(contact.id)).toEqual([
      {
        id: ticket.id,
        contactId: contact.id,
        kind: 'ticket',
        title: `#${ticket.number} Printer jam`,
        status: 'solved',
        amountMinor: 0,
        currency: '',
        occurredAt: ticket.createdAt,
        version: 2,
        updatedAt: solved.updatedAt,
      },
    ]);
    // Tickets are no purchases.
    expect((await ctx.call(getContact, { id: contact.id }, actor)).lifetimeValue).toEqual([]);
  });

  it('makes an unknown sender a contact once, however many tickets they open, and says so (contacts.contact.identified.v1)', async () => {
    const first = newTicket({ requesterEmail: 'Ada.Lovelace@Example.org', requesterName: 'Ada King Lovelace' });
    const second = newTicket({ requesterEmail: 'ada.lovelace@example.org', subject: 'Still jammed' });
    await ctx.deliver(created(first), created(second));

    const made = await identifiedFor(first.id);
    const again = await identifiedFor(second.id);
    expect(made.data).toEqual({ contactId: expect.any(String), email: 'Ada.Lovelace@Example.org', created: true, source: { service: 'support-tickets', recordId: first.id } });
    expect(again.data).toMatchObject({ contactId: (made.data as { contactId: string }).contactId, created: false });
    const contacts = (await ctx.call(listContacts, {}, actor)).data;
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ firstName: 'Ada', lastName: 'King Lovelace', tags: ['support'], emails: [{ address: 'Ada.Lovelace@Example.org', primary: true }] });
    expect((await timeline(contacts[0].id)).map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
  });

  it("finds a sender's existing contact by the duplicate check's same-email rule, and files later changes under it while the ticket is not linked yet", async () => {
    const contact = await ctx.newContact(actor, { emails: [{ address: 'grace@navy.example', primary: true }] });
    const ticket = newTicket({ requesterEmail: 'GRACE@navy.example' });
    await ctx.deliver(created(ticket));
    expect((await identifiedFor(ticket.id)).data).toMatchObject({ contactId: contact.id, created: false });
    // The support service has not linked it yet: the change still names no requester.
    await ctx.deliver(updated({ ...ticket, status: 'open', version: 2 }, ['status']));

    expect(await timeline(contact.id)).toEqual([expect.objectContaining({ id: ticket.id, status: 'open', contactId: contact.id })]);
    expect((await ctx.call(listContacts, {}, actor)).data).toHaveLength(1);
  });

  it('makes no contact of a ticket without a sender address, and another tenant sees none of it', async () => {
    const ticket = newTicket({ channel: 'phone' });
    await ctx.deliver(created(ticket));
    const other = newTicket({ requesterEmail: 'someone@else.example' });
    await ctx.deliver(created(other));
    const otherActor = actor;
    actor = ctx.newActor();
    expect((await ctx.call(listContacts, {}, actor)).data).toEqual([]);
    expect((await ctx.call(listContacts, {}, otherActor)).data.map((c) => c.emails[0]?.address)).toEqual(['someone@else.example']);
  });
});
