import { randomUUID } from 'node:crypto';
import { Company, companyCreated, companyUpdated, contactCreated, contactDeleted, contactErased, contactMerged, contactUpdated } from '@crm/contracts';
import { ContactEventsPublisher, contactsEnvelope } from '../testing/contact-events';
import { ContactReferenceBuilders, contactOf } from '../testing/contact-reference-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe("local copies of contacts' records", () => {
  let ctx: SalesAutomationTestContext;
  let bus: ContactEventsPublisher;
  let tenantId: string;
  let rows: ContactReferenceBuilders;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    bus = await ContactEventsPublisher.for(ctx);
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
  });
  beforeEach(() => {
    tenantId = `tenant-${randomUUID()}`;
    rows = new ContactReferenceBuilders(ctx.database, tenantId);
  });

  const meta = (subject: string, version?: number) => ({ tenantId, subject, version });
  const contactCopy = (id: string) => ctx.database.selectFrom('contact_copy').selectAll().where('id', '=', id).executeTakeFirst();
  const eventsOf = async (type: string, subject: string) => {
    const rows = await ctx.database
      .selectFrom('outbox_message')
      .select('envelope')
      .where('type', '=', type)
      .where('subject', '=', subject)
      .orderBy('seq')
      .execute();
    return rows.map((row) => (row.envelope as { data: unknown }).data);
  };
  const dealOf = (id: string) => ctx.database.selectFrom('deal').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const companyOf = (overrides: Partial<Company> = {}): Company => {
    const now = new Date().toISOString();
    return {
      id: randomUUID(),
      name: 'Analytical Engines',
      domain: 'engines.example',
      industry: null,
      phones: [],
      addresses: [],
      ownerId: null,
      tags: [],
      customFields: {},
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      ...overrides,
    };
  };

  it('keeps the copy current, ignores events older than it, and keeps deals showing the customer name', async () => {
    const company = companyOf();
    const contact = contactOf({ companyId: company.id });
    const dealId = await rows.deal(contact.id, company.id);
    await bus.deliver(contactsEnvelope(companyCreated, { company }, meta(company.id, 1)), contactsEnvelope(contactCreated, { contact }, meta(contact.id, 1)));
    expect(await contactCopy(contact.id)).toMatchObject({
      tenant_id: tenantId,
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      version: 1,
    });
    expect((await dealOf(dealId)).customer_name).toBe('Ada Lovelace, Analytical Engines');

    const renamed = { ...contact, lastName: 'King', version: 3 };
    const older = { ...contact, lastName: 'Byron', version: 2 };
    await bus.deliver(contactsEnvelope(contactUpdated, { contact: renamed, changed: ['lastName'] }, meta(contact.id, 3)));
    await bus.deliver(contactsEnvelope(contactUpdated, { contact: older, changed: ['lastName'] }, meta(contact.id, 2)));
    expect(await contactCopy(contact.id)).toMatchObject({ last_name: 'King', version: 3 });
    expect((await dealOf(dealId)).customer_name).toBe('Ada King, Analytical Engines');
    await bus.deliver(contactsEnvelope(companyUpdated, { company: { ...company, name: 'Engines Ltd', version: 2 }, changed: ['name'] }, meta(company.id, 2)));
    expect((await dealOf(dealId)).customer_name).toBe('Ada King, Engines Ltd');

    await bus.deliver(contactsEnvelope(contactDeleted, { contactId: contact.id, deletedAt: new Date().toISOString() }, meta(contact.id, 4)));
    expect((await contactCopy(contact.id))?.deleted_at).not.toBeNull();
  });

  it('moves every deal, order, task and converted lead of a merged contact to the survivor', async () => {
    const survivor = contactOf({ firstName: 'Grace', lastName: 'Hopper' });
    const merged = contactOf();
    await bus.deliver(
      contactsEnvelope(contactCreated, { contact: survivor }, meta(survivor.id, 1)),
      contactsEnvelope(contactCreated, { contact: merged }, meta(merged.id, 1)),
    );
    const deal = await rows.deal(merged.id);
    const order = await rows.order(merged.id);
    const task = await rows.task('contact', merged.id);
    const lead = await rows.convertedLead(merged.id);
    const otherTask = await rows.task('deal', merged.id);

    await bus.deliver(contactsEnvelope(contactMerged, { contact: { ...survivor, version: 2 }, mergedId: merged.id }, meta(survivor.id, 2)));

    const db = ctx.database;
    expect(await dealOf(deal)).toMatchObject({ contact_id: survivor.id, customer_name: 'Grace Hopper', version: 2 });
    expect(await db.selectFrom('sales_order').select('contact_id').where('id', '=', order).executeTakeFirst()).toEqual({ contact_id: survivor.id });
    expect(await db.selectFrom('task').select('related_id').where('id', '=', task).executeTakeFirst()).toEqual({ related_id: survivor.id });
    expect(await db.selectFrom('lead').select('converted_contact_id').where('id', '=', lead).executeTakeFirst()).toEqual({ converted_contact_id: survivor.id });
    // Only a task about the contact moves: the same id as a deal's is another record.
    expect(await db.selectFrom('task').select('related_id').where('id', '=', otherTask).executeTakeFirst()).toEqual({ related_id: merged.id });
    expect(await contactCopy(merged.id)).toMatchObject({ merged_into_id: survivor.id });
    expect((await contactCopy(merged.id))?.deleted_at).not.toBeNull();
    // Each moved record publishes its update with the move (its new contact, its new version).
    expect(await eventsOf('sales-automation.deal.updated.v1', deal)).toEqual([
      { deal: expect.objectContaining({ id: deal, contactId: survivor.id, customerName: 'Grace Hopper', version: 2 }), changed: ['contactId', 'customerName'] },
    ]);
    expect(await eventsOf('sales-automation.order.updated.v1', order)).toEqual([
      { order: expect.objectContaining({ id: order, contactId: survivor.id, version: 2 }), changed: ['contactId'] },
    ]);
    expect(await eventsOf('sales-automation.task.updated.v1', task)).toEqual([
      { task: expect.objectContaining({ id: task, relatedId: survivor.id, version: 2 }), changed: ['relatedId'] },
    ]);
    expect(await eventsOf('sales-automation.lead.updated.v1', lead)).toEqual([
      { lead: expect.objectContaining({ id: lead, convertedContactId: survivor.id, version: 2 }), changed: ['convertedContactId'] },
    ]);
    expect(await eventsOf('sales-automation.task.updated.v1', otherTask)).toEqual([]);
  });

  it("removes an erased contact's personal data from the copy, the deals and the leads converted into it, and keeps it removed", async () => {
    const contact = contactOf();
    await bus.deliver(contactsEnvelope(contactCreated, { contact }, meta(contact.id, 1)));
    const deal = await rows.deal(contact.id);
    const lead = await rows.convertedLead(contact.id);
    await bus.deliver(contactsEnvelope(contactUpdated, { contact: { ...contact, version: 2 }, changed: [] }, meta(contact.id, 2)));
    expect((await dealOf(deal)).customer_name).toBe('Ada Lovelace');

    const erasedAt = new Date().toISOString();
    await bus.deliver(contactsEnvelope(contactErased, { contactId: contact.id, erasedAt }, meta(contact.id, 3)));

    expect(await contactCopy(contact.id)).toMatchObject({ first_name: null, last_name: null, email: null, erased_at: new Date(erasedAt) });
    expect((await dealOf(deal)).customer_name).toBeNull();
    expect(
      await ctx.database
        .selectFrom('lead')
        .select(['first_name', 'last_name', 'email', 'phone', 'message', 'erased_at'])
        .where('id', '=', lead)
        .executeTakeFirst(),
    ).toEqual({ first_name: null, last_name: null, email: null, phone: null, message: null, erased_at: new Date(erasedAt) });

    // A late event with the contact's data brings none of it back.
    await bus.deliver(contactsEnvelope(contactUpdated, { contact: { ...contact, version: 4 }, changed: [] }, meta(contact.id, 4)));
    expect(await contactCopy(contact.id)).toMatchObject({ first_name: null, email: null });
  });

  it('erases a contact it never had a copy of (a tombstone), and handles a redelivered event once', async () => {
    const contactId = randomUUID();
    const envelope = contactsEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, meta(contactId, 5));
    await bus.deliver(envelope);
    await bus.deliver(envelope);
    expect(await contactCopy(contactId)).toMatchObject({ tenant_id: tenantId, first_name: null, version: 5 });
    expect(await ctx.database.selectFrom('inbox_message').select('event_id').where('event_id', '=', envelope.id).execute()).toHaveLength(1);
  });
});
