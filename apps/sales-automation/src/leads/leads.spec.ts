import { randomUUID } from 'node:crypto';
import {
  convertLead,
  createLead,
  createLeadForm,
  deleteLead,
  deleteLeadForm,
  DomainError,
  disqualifyLead,
  getLead,
  Lead,
  LeadInput,
  leadFormOrigins,
  listLeadForms,
  listLeads,
  submitLeadForm,
  updateLead,
  updateLeadForm,
} from '@crm/contracts';
import { startTestResponder, TestCall } from '@crm/testing';
import { DealBuilders, expectRemoteError, failedPaths } from '../testing/deal-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

const EXISTING_CONTACT = randomUUID();

describe('leads and web-to-lead forms', () => {
  let ctx: SalesAutomationTestContext;
  let build: DealBuilders;
  let contacts: { close(): Promise<void> };
  /** What the contacts stand-in was asked (request and the caller's request id). */
  const contactCalls: { type: string; request: unknown; call: TestCall }[] = [];

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new DealBuilders(ctx);
    // The contacts service's answers as it gives them: an email it knows is a duplicate (CONFLICT with candidates).
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: (ctx.service.config as { BUS_NAME_PREFIX: string }).BUS_NAME_PREFIX,
      handlers: {
        'contacts.contact.create.v1': (request, call) => {
          contactCalls.push({ type: 'contact', request, call });
          const { contact } = request as { contact: { firstName: string; emails?: { address: string }[] } };
          if (contact.emails?.[0]?.address === 'known@example.com') {
            throw new DomainError('CONFLICT', 'Possible duplicates exist.', {
              duplicates: [
                { id: EXISTING_CONTACT, firstName: 'Known', lastName: null, primaryEmail: 'known@example.com', companyId: null, reasons: ['same-email'] },
              ],
            });
          }
          return contactReply(randomUUID(), contact.firstName);
        },
        'contacts.company.create.v1': (request, call) => {
          contactCalls.push({ type: 'company', request, call });
          return companyReply(randomUUID(), (request as { company: { name: string } }).company.name);
        },
      },
    });
  });
  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
  });

  const newLead = (actor: ReturnType<DealBuilders['newActor']>, input: Partial<LeadInput> = {}): Promise<Lead> =>
    build.call(createLead, { lead: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', ...input } }, actor);

  it('creates, reads, updates (If-Match) and disqualifies a lead, with lead.created and lead.disqualified', async () => {
    const actor = build.newActor();
    const lead = await newLead(actor, { companyName: 'Analytical Engines', score: 40 });
    expect(lead).toMatchObject({ status: 'new', source: 'manual', score: 40, version: 1, convertedContactId: null });
    expect(await build.call(getLead, { id: lead.id }, actor)).toEqual(lead);

    const updated = await build.call(updateLead, { id: lead.id, expectedVersion: 1, patch: { status: 'working', phone: '+44 20 1234' } }, actor);
    expect(updated).toMatchObject({ status: 'working', phone: '+44 20 1234', version: 2 });
    await expectRemoteError(build.call(updateLead, { id: lead.id, expectedVersion: 1, patch: { score: 1 } }, actor), 'PRECONDITION_FAILED');

    const disqualified = await build.call(disqualifyLead, { id: lead.id, reason: 'No budget' }, actor);
    expect(disqualified).toMatchObject({ status: 'disqualified', disqualifiedReason: 'No budget', version: 3 });
    expect(await build.outboxEvents('sales-automation.lead.created.v1', lead.id)).toHaveLength(1);
    expect(await build.outboxEvents('sales-automation.lead.disqualified.v1', lead.id)).toHaveLength(1);
    await expectRemoteError(build.call(convertLead, { id: lead.id, createCompany: false }, actor), 'CONFLICT');
  });

  it('publishes lead.updated with the fields a change changed (none for a patch that changes nothing)', async () => {
    const actor = build.newActor();
    const lead = await newLead(actor, { score: 40 });
    const updated = await build.call(updateLead, { id: lead.id, expectedVersion: 1, patch: { status: 'working', phone: '+44 20 1234', score: 40 } }, actor);
    expect(await build.call(updateLead, { id: lead.id, patch: { score: 40 } }, actor)).toEqual(updated);
    await build.call(disqualifyLead, { id: lead.id, reason: 'No budget' }, actor);
    const reopened = await build.call(updateLead, { id: lead.id, patch: { status: 'qualified' } }, actor);
    expect(reopened).toMatchObject({ status: 'qualified', disqualifiedReason: null, version: 4 });
    expect((await build.outboxEvents('sales-automation.lead.updated.v1', lead.id)).map((event) => event.data)).toEqual([
      { lead: updated, changed: ['phone', 'status'] },
      { lead: reopened, changed: ['status', 'disqualifiedReason'] },
    ]);
  });

  it('deletes a lead (If-Match; lead.deleted once): it answers 404 from then on, to its tenant and any other', async () => {
    const actor = build.newActor();
    const lead = await newLead(actor);
    await expectRemoteError(build.call(deleteLead, { id: lead.id }, build.newActor()), 'NOT_FOUND');
    await expectRemoteError(build.call(deleteLead, { id: lead.id, expectedVersion: 2 }, actor), 'PRECONDITION_FAILED');
    expect(await build.call(deleteLead, { id: lead.id, expectedVersion: 1 }, actor)).toEqual({ id: lead.id });
    await expectRemoteError(build.call(getLead, { id: lead.id }, actor), 'NOT_FOUND');
    await expectRemoteError(build.call(deleteLead, { id: lead.id }, actor), 'NOT_FOUND');
    const events = await build.outboxEvents('sales-automation.lead.deleted.v1', lead.id);
    expect(events.map((event) => event.data)).toEqual([{ leadId: lead.id, deletedAt: expect.any(String) }]);
  });

  it("answers another tenant's lead as missing", async () => {
    const lead = await newLead(build.newActor());
    const other = build.newActor();
    await expectRemoteError(build.call(getLead, { id: lead.id }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(updateLead, { id: lead.id, patch: { score: 5 } }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(convertLead, { id: lead.id, createCompany: false }, other), 'NOT_FOUND');
  });

  it('lists leads newest first with filters and cursor paging', async () => {
    const actor = build.newActor();
    const owner = randomUUID();
    const created: Lead[] = [];
    for (let i = 0; i < 5; i++)
      created.push(await newLead(actor, { lastName: `Paged${i}`, ownerId: i % 2 ? owner : null, source: i < 3 ? 'import' : 'campaign' }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await build.call(listLeads, { limit: 2, cursor }, actor);
      seen.push(...page.data.map((l) => l.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created.map((l) => l.id).reverse());
    expect((await build.call(listLeads, { filter: { ownerId: owner } }, actor)).data.map((l) => l.lastName)).toEqual(['Paged3', 'Paged1']);
    expect((await build.call(listLeads, { filter: { source: 'campaign' } }, actor)).data).toHaveLength(2);
    expect((await build.call(listLeads, { filter: { q: 'paged4' } }, actor)).data.map((l) => l.lastName)).toEqual(['Paged4']);
    const first = await build.call(listLeads, { limit: 2 }, actor);
    const error = await expectRemoteError(
      build.call(listLeads, { limit: 2, cursor: first.nextCursor!, filter: { source: 'import' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(error)).toEqual(['cursor']);
  });

  it('converts a lead: reuses the contact the duplicate check finds, makes a company and a deal, once', async () => {
    const actor = build.newActor();
    await build.newPipeline(actor);
    const lead = await newLead(actor, { email: 'known@example.com', companyName: 'Known Ltd' });
    const converted = await build.call(convertLead, { id: lead.id, createCompany: true, createDeal: { currency: 'EUR', amountMinor: 120_000 } }, actor);
    expect(converted.contactId).toBe(EXISTING_CONTACT);
    expect(converted.companyId).not.toBeNull();
    expect(converted.dealId).not.toBeNull();
    expect(converted.lead).toMatchObject({ status: 'converted', convertedContactId: EXISTING_CONTACT, convertedDealId: converted.dealId });
    // Asked with request ids derived from the lead: a retry would be applied once by contacts' command inbox.
    const asked = contactCalls.filter(
      (c) => (c.request as { contact?: { emails?: { address: string }[] } }).contact?.emails?.[0]?.address === 'known@example.com',
    );
    expect(asked).toHaveLength(1);

    // Again: what it became, nothing new.
    const again = await build.call(convertLead, { id: lead.id, createCompany: true, createDeal: { currency: 'EUR' } }, actor);
    expect(again).toMatchObject({ contactId: converted.contactId, companyId: converted.companyId, dealId: converted.dealId });
    expect(await build.outboxEvents('sales-automation.lead.converted.v1', lead.id)).toHaveLength(1);
    await expectRemoteError(build.call(updateLead, { id: lead.id, patch: { score: 1 } }, actor), 'CONFLICT');
  });

  it('refuses a conversion it cannot do, naming the fields', async () => {
    const actor = build.newActor();
    const lead = await newLead(actor);
    const error = await expectRemoteError(build.call(convertLead, { id: lead.id, createCompany: true, createDeal: {} }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error).sort()).toEqual(['createCompany', 'createDeal.currency']);
  });

  it('takes a web-form submission as a lead of the form’s tenant; a honeypot is accepted and dropped; an unknown, inactive or foreign-origin post is refused', async () => {
    const actor = build.newActor();
    const campaignId = randomUUID();
    const form = await build.call(
      createLeadForm,
      { form: { name: 'Contact us', allowedOrigins: ['https://www.Example.com'], campaignId, ownerId: actor.userId } },
      actor,
    );
    expect(form.formKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(form.allowedOrigins).toEqual(['https://www.example.com']);
    const anonymous = build.newActor(randomUUID(), ['viewer']); // whoever the gateway says calls: not the form's tenant

    const submitted = await build.call(
      submitLeadForm,
      { formKey: form.formKey, origin: 'https://www.example.com', submission: { firstName: 'Grace', email: 'grace@example.com', message: 'Call me' } },
      anonymous,
    );
    expect(submitted.allowedOrigins).toEqual(['https://www.example.com']);
    expect(await build.call(getLead, { id: submitted.leadId! }, actor)).toMatchObject({
      source: 'web_form',
      formId: form.id,
      campaignId,
      ownerId: actor.userId,
      email: 'grace@example.com',
    });
    await expectRemoteError(build.call(getLead, { id: submitted.leadId! }, anonymous), 'NOT_FOUND');

    const bot = await build.call(submitLeadForm, { formKey: form.formKey, submission: { email: 'bot@example.com', website: 'http://spam' } }, anonymous);
    expect(bot.leadId).toBeNull();
    expect((await build.call(listLeads, {}, actor)).data.map((l) => l.email)).toEqual(['grace@example.com']);

    await expectRemoteError(
      build.call(submitLeadForm, { formKey: form.formKey, origin: 'https://evil.example', submission: { email: 'x@example.com' } }, anonymous),
      'FORBIDDEN',
    );
    await expectRemoteError(build.call(submitLeadForm, { formKey: 'no-such-form-key-at-all', submission: { email: 'x@example.com' } }, anonymous), 'NOT_FOUND');
    expect(await build.call(leadFormOrigins, { formKey: form.formKey }, anonymous)).toEqual({ allowedOrigins: ['https://www.example.com'] });

    const inactive = await build.call(updateLeadForm, { id: form.id, expectedVersion: form.version, patch: { active: false } }, actor);
    expect(inactive).toMatchObject({ active: false, version: 2, formKey: form.formKey });
    await expectRemoteError(build.call(submitLeadForm, { formKey: form.formKey, submission: { email: 'x@example.com' } }, anonymous), 'NOT_FOUND');
    await expectRemoteError(build.call(leadFormOrigins, { formKey: form.formKey }, anonymous), 'NOT_FOUND');
    await expectRemoteError(build.call(updateLeadForm, { id: form.id, expectedVersion: 1, patch: { active: true } }, actor), 'PRECONDITION_FAILED');
    await expectRemoteError(build.call(deleteLeadForm, { id: form.id }, build.newActor()), 'NOT_FOUND');
    expect((await build.call(listLeadForms, {}, actor)).data.map((f) => f.id)).toEqual([form.id]);
  });
});

function contactReply(id: string, firstName: string) {
  const now = new Date().toISOString();
  return {
    id,
    firstName,
    lastName: null,
    title: null,
    emails: [],
    phones: [],
    addresses: [],
    companyId: null,
    ownerId: null,
    tags: [],
    lifecycleStage: 'prospect',
    customFields: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}

function companyReply(id: string, name: string) {
  const now = new Date().toISOString();
  return {
    id,
    name,
    domain: null,
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
  };
}
