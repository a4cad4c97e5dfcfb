import { Actor, createContact, deleteContact, DuplicateCandidate, eraseContact } from '@crm/contracts';
import { ContactsTestContext, expectRemoteError } from '../../testing/contacts-test-context';

/** Create refuses likely duplicates with CONFLICT and says which and why. */
describe('duplicate detection on create', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  type NewContact = Parameters<typeof ctx.newContact>[1];

  /** The candidates a create of `contact` is refused with ([] when it is not refused: it is then created). */
  async function duplicatesOf(contact: NewContact, as = actor): Promise<DuplicateCandidate[]> {
    const outcome = await ctx.newContact(as, contact).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (outcome === undefined) return [];
    const error = await expectRemoteError(Promise.reject(outcome), 'CONFLICT');
    return (error.details as { duplicates: DuplicateCandidate[] }).duplicates;
  }

  it('matches the same email address in another case, whatever the name', async () => {
    const existing = await ctx.newContact(actor, { firstName: 'Grace', lastName: 'Hopper', emails: [{ address: 'grace@navy.example' }] });
    expect(
      await duplicatesOf({ firstName: 'Amazing', lastName: 'Grace', emails: [{ address: 'other@x.example' }, { address: 'GRACE@Navy.Example' }] }),
    ).toEqual([{ id: existing.id, firstName: 'Grace', lastName: 'Hopper', primaryEmail: 'grace@navy.example', companyId: null, reasons: ['same-email'] }]);
  });

  it('matches a similar full name at the same company, not a different one or elsewhere', async () => {
    const acme = await ctx.newCompany(actor, { name: 'Acme' });
    const other = await ctx.newCompany(actor, { name: 'Other' });
    const john = await ctx.newContact(actor, { firstName: 'John', lastName: 'Smith', companyId: acme.id });

    expect(await duplicatesOf({ firstName: 'Jon', lastName: 'Smith', companyId: acme.id })).toEqual([
      { id: john.id, firstName: 'John', lastName: 'Smith', primaryEmail: null, companyId: acme.id, reasons: ['similar-name-same-company'] },
    ]);
    expect(await duplicatesOf({ firstName: 'JOHN', lastName: 'smith', companyId: acme.id })).toHaveLength(1);
    // Colleagues with the same surname, the same name at another company, or without one, are created.
    expect(await duplicatesOf({ firstName: 'Jane', lastName: 'Smith', companyId: acme.id })).toEqual([]);
    expect(await duplicatesOf({ firstName: 'Jim', lastName: 'Smith', companyId: acme.id })).toEqual([]);
    expect(await duplicatesOf({ firstName: 'Jon', lastName: 'Smith', companyId: other.id })).toEqual([]);
    expect(await duplicatesOf({ firstName: 'Jon', lastName: 'Smith' })).toEqual([]);
  });

  it('matches a similar name with the same phone in another format, not a shared phone alone', async () => {
    const existing = await ctx.newContact(actor, { firstName: 'Marie', lastName: 'Curie', phones: [{ number: '+33 1 23 45 67 89' }] });
    expect(await duplicatesOf({ firstName: 'Maria', lastName: 'Curie', phones: [{ number: '+33 (1) 23-45-67-89' }] })).toEqual([
      { id: existing.id, firstName: 'Marie', lastName: 'Curie', primaryEmail: null, companyId: null, reasons: ['similar-name-same-phone'] },
    ]);
    // The household's other member shares the landline.
    expect(await duplicatesOf({ firstName: 'Pierre', lastName: 'Curie', phones: [{ number: '+33.1.23.45.67.89' }] })).toEqual([]);
  });

  it('gives every reason that applies, the strongest candidates first', async () => {
    const acme = await ctx.newCompany(actor);
    const both = await ctx.newContact(actor, { firstName: 'Alan', lastName: 'Turing', companyId: acme.id, phones: [{ number: '555 0100' }] });
    const byEmail = await ctx.newContact(actor, { firstName: 'Someone', lastName: 'Else', emails: [{ address: 'alan@bletchley.example' }] });
    const found = await duplicatesOf({
      firstName: 'Alan',
      lastName: 'Turing',
      companyId: acme.id,
      phones: [{ number: '5550100' }],
      emails: [{ address: 'Alan@Bletchley.example' }],
    });
    expect(found.map((d) => [d.id, d.reasons])).toEqual([
      [byEmail.id, ['same-email']],
      [both.id, ['similar-name-same-company', 'similar-name-same-phone']],
    ]);
  });

  it('returns at most ten candidates', async () => {
    const acme = await ctx.newCompany(actor);
    for (let i = 0; i < 12; i++) await ctx.newContact(actor, { firstName: 'Ann', lastName: 'Lee', companyId: acme.id }, true);
    expect(await duplicatesOf({ firstName: 'Ann', lastName: 'Lee', companyId: acme.id })).toHaveLength(10);
  });

  it("never matches another tenant's, a deleted or an erased contact", async () => {
    const stranger = ctx.newActor();
    await ctx.newContact(stranger, { firstName: 'Ada', emails: [{ address: 'ada@engine.example' }] });
    const deleted = await ctx.newContact(actor, { firstName: 'Deleted', emails: [{ address: 'gone@engine.example' }], phones: [{ number: '123 4567' }] });
    await ctx.call(deleteContact, { id: deleted.id }, actor);
    const erased = await ctx.newContact(actor, {
      firstName: 'Erased',
      lastName: 'Person',
      emails: [{ address: 'erased@engine.example' }],
      phones: [{ number: '765 4321' }],
    });
    await ctx.call(eraseContact, { id: erased.id }, actor);

    expect(await duplicatesOf({ firstName: 'Ada', emails: [{ address: 'ada@engine.example' }] })).toEqual([]);
    expect(await duplicatesOf({ firstName: 'Deleted', emails: [{ address: 'gone@engine.example' }], phones: [{ number: '1234567' }] })).toEqual([]);
    expect(
      await duplicatesOf({ firstName: 'Erased', lastName: 'Person', emails: [{ address: 'erased@engine.example' }], phones: [{ number: '7654321' }] }),
    ).toEqual([]);
  });

  it('answers a bad company before duplicates (the reads run at once; their errors keep that order), and nothing is written', async () => {
    await ctx.newContact(actor, { firstName: 'Ada', emails: [{ address: 'ada@engine.example' }] });
    const missingCompany = '00000000-0000-4000-8000-000000000001';
    const error = await expectRemoteError(ctx.newContact(actor, { firstName: 'Ada', emails: [{ address: 'ada@engine.example' }], companyId: missingCompany }), 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ errors: [{ field: 'contact.companyId', message: 'no such company' }] });
    expect(await duplicatesOf({ firstName: 'Someone', emails: [{ address: 'ada@engine.example' }] })).toHaveLength(1);
  });

  it('creates anyway with allowDuplicates', async () => {
    const first = await ctx.newContact(actor, { firstName: 'Twin', emails: [{ address: 'twin@example.com' }] });
    const second = await ctx.call(createContact, { contact: { firstName: 'Twin', emails: [{ address: 'TWIN@example.com' }] }, allowDuplicates: true }, actor);
    expect(second.id).not.toBe(first.id);
    // And both now stand in the way of a third.
    expect((await duplicatesOf({ firstName: 'Other', emails: [{ address: 'twin@example.com' }] })).map((d) => d.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });
});
