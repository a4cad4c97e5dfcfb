import {
  Actor,
  createCompany,
  createContact,
  defineCustomField,
  deleteCustomField,
  listCustomFields,
  updateCompany,
  updateContact,
  updateCustomField,
} from '@crm/contracts';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../testing/contacts-test-context';

describe('custom fields', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  const define = (definition: Record<string, unknown>, who = actor) =>
    ctx.call(defineCustomField, { definition: { label: 'A field', type: 'text', ...definition } as never }, who);

  it('defines, lists (per tenant), updates and deletes definitions', async () => {
    const tier = await define({ entity: 'contact', key: 'tier', type: 'select', options: ['gold', 'silver'], required: true });
    expect(tier).toMatchObject({ entity: 'contact', key: 'tier', type: 'select', options: ['gold', 'silver'], required: true, version: 1 });
    await define({ entity: 'company', key: 'tier' });
    expect((await ctx.call(listCustomFields, {}, actor)).data.map((d) => `${d.entity}.${d.key}`)).toEqual(['company.tier', 'contact.tier']);
    expect((await ctx.call(listCustomFields, { entity: 'contact' }, actor)).data).toEqual([tier]);
    expect((await ctx.call(listCustomFields, {}, ctx.newActor())).data).toEqual([]);

    const updated = await ctx.call(
      updateCustomField,
      { id: tier.id, expectedVersion: 1, patch: { options: ['gold', 'silver', 'bronze'], label: 'Tier' } },
      actor,
    );
    // `required` was left out of the patch: it stays as it was (no default fills it in).
    expect(updated).toMatchObject({ label: 'Tier', options: ['gold', 'silver', 'bronze'], required: true, version: 2 });
    await expectRemoteError(ctx.call(updateCustomField, { id: tier.id, expectedVersion: 1, patch: { label: 'x' } }, actor), 'PRECONDITION_FAILED');
    await expectRemoteError(ctx.call(updateCustomField, { id: tier.id, patch: { label: 'x' } }, ctx.newActor()), 'NOT_FOUND');

    await expectRemoteError(ctx.call(deleteCustomField, { id: tier.id }, ctx.newActor()), 'NOT_FOUND');
    expect(await ctx.call(deleteCustomField, { id: tier.id }, actor)).toEqual({ id: tier.id });
    expect((await ctx.call(listCustomFields, { entity: 'contact' }, actor)).data).toEqual([]);
  });

  it('refuses a second definition of a key for the same entity: CONFLICT (other tenants may)', async () => {
    await define({ entity: 'contact', key: 'source' });
    await expectRemoteError(define({ entity: 'contact', key: 'source' }), 'CONFLICT');
    await expect(define({ entity: 'contact', key: 'source' }, ctx.newActor())).resolves.toMatchObject({ key: 'source' });
  });

  it('refuses a select without options, options on other types, and bad keys', async () => {
    expect(failedPaths(await expectRemoteError(define({ entity: 'contact', key: 'pick', type: 'select' }), 'VALIDATION_FAILED'))).toEqual([
      'definition.options',
    ]);
    expect(failedPaths(await expectRemoteError(define({ entity: 'contact', key: 'n', type: 'number', options: ['1'] }), 'VALIDATION_FAILED'))).toEqual([
      'definition.options',
    ]);
    const error = await expectRemoteError(
      ctx.callUnchecked(defineCustomField, { definition: { entity: 'deal', key: 'Bad Key', label: 'x', type: 'text' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(error)).toEqual(expect.arrayContaining(['definition.entity', 'definition.key']));
  });

  describe('values on contacts and companies', () => {
    beforeEach(async () => {
      await define({ entity: 'contact', key: 'tier', type: 'select', options: ['gold', 'silver'], required: true });
      await define({ entity: 'contact', key: 'score', type: 'number' });
      await define({ entity: 'contact', key: 'since', type: 'date' });
      await define({ entity: 'contact', key: 'active', type: 'boolean' });
      await define({ entity: 'contact', key: 'notes', type: 'text' });
      await define({ entity: 'company', key: 'size', type: 'number', required: true });
    });

    it('stores valid values', async () => {
      const contact = await ctx.newContact(actor, { customFields: { tier: 'gold', score: 4.5, since: '2024-02-29', active: true, notes: 'hi' } });
      expect(contact.customFields).toEqual({ tier: 'gold', score: 4.5, since: '2024-02-29', active: true, notes: 'hi' });
      const company = await ctx.call(createCompany, { company: { name: 'Sized', customFields: { size: 50 } } }, actor);
      expect(company.customFields).toEqual({ size: 50 });
    });

    it('names every bad value: unknown key, type mismatch, bad date, option not allowed, required missing', async () => {
      const error = await expectRemoteError(
        ctx.call(
          createContact,
          { contact: { firstName: 'Bad', customFields: { colour: 'red', score: 'high', since: '2023-02-30', active: 'yes', notes: 3 } } },
          actor,
        ),
        'VALIDATION_FAILED',
      );
      expect(failedPaths(error).sort()).toEqual(['colour', 'score', 'since', 'active', 'notes', 'tier'].map((k) => `contact.customFields.${k}`).sort());
      const option = await expectRemoteError(ctx.newContact(actor, { customFields: { tier: 'platinum' } }), 'VALIDATION_FAILED');
      expect(failedPaths(option)).toEqual(['contact.customFields.tier']);
      const date = await expectRemoteError(ctx.newContact(actor, { customFields: { tier: 'gold', since: '01/02/2024' } }), 'VALIDATION_FAILED');
      expect(failedPaths(date)).toEqual(['contact.customFields.since']);
      const company = await expectRemoteError(ctx.call(createCompany, { company: { name: 'No size' } }, actor), 'VALIDATION_FAILED');
      expect(failedPaths(company)).toEqual(['company.customFields.size']);
    });

    it('merges on update: a key sets, null clears, a required one cannot be cleared; other tenants cannot use the fields', async () => {
      const contact = await ctx.newContact(actor, { customFields: { tier: 'gold', score: 1 } });
      const updated = await ctx.call(updateContact, { id: contact.id, patch: { customFields: { score: null, notes: 'n' } } }, actor);
      expect(updated.customFields).toEqual({ tier: 'gold', notes: 'n' });
      const cleared = await expectRemoteError(ctx.call(updateContact, { id: contact.id, patch: { customFields: { tier: null } } }, actor), 'VALIDATION_FAILED');
      expect(failedPaths(cleared)).toEqual(['patch.customFields.tier']);
      const wrong = await expectRemoteError(ctx.call(updateContact, { id: contact.id, patch: { customFields: { score: 'x' } } }, actor), 'VALIDATION_FAILED');
      expect(failedPaths(wrong)).toEqual(['patch.customFields.score']);

      const company = await ctx.call(createCompany, { company: { name: 'Co', customFields: { size: 1 } } }, actor);
      const companyError = await expectRemoteError(
        ctx.call(updateCompany, { id: company.id, patch: { customFields: { size: 'big' } } }, actor),
        'VALIDATION_FAILED',
      );
      expect(failedPaths(companyError)).toEqual(['patch.customFields.size']);

      const stranger = await expectRemoteError(ctx.newContact(ctx.newActor(), { customFields: { tier: 'gold' } }), 'VALIDATION_FAILED');
      expect(failedPaths(stranger)).toEqual(['contact.customFields.tier']);
    });
  });
});
