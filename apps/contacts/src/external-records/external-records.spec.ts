import {
  Actor,
  deleteContactsByExternalId,
  eraseContact,
  ExternalItemResult,
  getCompanyByExternalId,
  getContact,
  getContactByExternalId,
  mergeContacts,
  resolveContactExternalIds,
  upsertCompaniesByExternalId,
  upsertContactsByExternalId,
} from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext, expectRemoteError } from '../testing/contacts-test-context';

const outcomes = (results: ExternalItemResult[]) => results.map((r) => r.outcome);

/** Contacts and companies by an ERP's ids: upsert (set-based batches), delete, get, resolve; merge and erasure follow the ids. */
describe('records by external id', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  const upsert = (items: { externalId: string; line?: number; record: Record<string, unknown> }[], crmOwnedFields: string[] = [], system = 'sap') =>
    ctx.call(upsertContactsByExternalId, { system, crmOwnedFields, items }, actor).then((r) => r.results);

  it('creates new records, updates changed ones, and leaves equal ones unchanged (no new version, no event); a second run of the same batch changes nothing', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => ({ externalId: `C-${i}`, line: i + 2, record: { firstName: `Ada${i}`, lastName: 'Lovelace', emails: [{ address: `ada${i}@example.com` }] } }));
    const first = await upsert(batch);
    expect(new Set(outcomes(first))).toEqual(new Set(['created']));
    expect(first[7]).toEqual({ externalId: 'C-7', line: 9, outcome: 'created', id: expect.any(String) });
    const created = await ctx.call(getContact, { id: first[7].id! }, actor);
    expect(created).toMatchObject({ firstName: 'Ada7', lastName: 'Lovelace', version: 1, emails: [expect.objectContaining({ address: 'ada7@example.com' })] });
    await ctx.event((e) => e.type === 'contacts.contact.created.v1' && e.subject === first[49].id);

    const again = await upsert(batch);
    expect(new Set(outcomes(again))).toEqual(new Set(['unchanged']));
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));

    const changed = await upsert([{ externalId: 'C-7', record: { lastName: 'Byron' } }, { externalId: 'C-8', record: { firstName: 'Ada8' } }]);
    expect(outcomes(changed)).toEqual(['updated', 'unchanged']);
    expect(await ctx.call(getContact, { id: first[7].id! }, actor)).toMatchObject({ firstName: 'Ada7', lastName: 'Byron', version: 2 });
    expect(await ctx.call(getContact, { id: first[8].id! }, actor)).toMatchObject({ version: 1 });
  });

  it('fails a bad item alone, naming its field and echoing its line: the rest of the batch lands', async () => {
    const results = await upsert([
      { externalId: 'OK-1', line: 2, record: { firstName: 'Grace' } },
      { externalId: 'BAD-1', line: 3, record: { lastName: 'No first name' } },
      { externalId: 'BAD-2', line: 4, record: { firstName: 'Bad', emails: [{ address: 'not-an-email' }] } },
      { externalId: 'OK-1', line: 5, record: { firstName: 'Twice' } },
      { externalId: 'BAD-3', line: 6, record: { firstName: 'Linked', companyExternalId: 'NO-SUCH' } },
    ]);
    expect(outcomes(results)).toEqual(['created', 'failed', 'failed', 'failed', 'failed']);
    expect(results[1]).toMatchObject({ line: 3, error: { code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'record.firstName' })] } });
    expect(results[2].error?.fields?.[0].field).toMatch(/^record\.emails\.0/);
    expect(results[3]).toMatchObject({ line: 5, error: { code: 'CONFLICT' } });
    expect(results[4]).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'record.companyExternalId' })] } });
    expect((await ctx.call(getContact, { id: results[0].id! }, actor)).firstName).toBe('Grace');
  });

  it('keeps CRM-owned fields on update (a differing value is a conflict) but writes them on create', async () => {
    const [created] = await upsert([{ externalId: 'P-1', record: { firstName: 'Alan', phones: [{ number: '+44 20 1111' }], title: 'Dr' } }], ['phones']);
    expect(created.outcome).toBe('created');
    const [update] = await upsert([{ externalId: 'P-1', record: { phones: [{ number: '+44 20 9999' }], title: 'Prof' } }], ['phones']);
    expect(update).toMatchObject({ outcome: 'updated', conflicts: [{ field: 'phones', incoming: [{ number: '+44 20 9999' }] }] });
    expect(await ctx.call(getContact, { id: created.id! }, actor)).toMatchObject({ title: 'Prof', phones: [expect.objectContaining({ number: '+44 20 1111' })] });
    const [same] = await upsert([{ externalId: 'P-1', record: { phones: [{ number: '+44 20 1111' }] } }], ['phones']);
    expect(same).toEqual({ externalId: 'P-1', outcome: 'unchanged', id: created.id });
  });

  it('links a contact to the company of the same system by its external id; companies upsert like contacts', async () => {
    const companies = await ctx.call(upsertCompaniesByExternalId, { system: 'sap', crmOwnedFields: [], items: [{ externalId: 'K-1', record: { name: 'Acme' } }] }, actor);
    expect(outcomes(companies.results)).toEqual(['created']);
    const again = await ctx.call(upsertCompaniesByExternalId, { system: 'sap', crmOwnedFields: [], items: [{ externalId: 'K-1', record: { name: 'Acme' } }, { externalId: 'K-2', record: {} }] }, actor);
    expect(outcomes(again.results)).toEqual(['unchanged', 'failed']);
    expect(await ctx.call(getCompanyByExternalId, { system: 'sap', externalId: 'K-1' }, actor)).toMatchObject({ id: companies.results[0].id, name: 'Acme' });

    const [linked] = await upsert([{ externalId: 'C-K', record: { firstName: 'Wile', companyExternalId: 'K-1' } }]);
    expect((await ctx.call(getContact, { id: linked.id! }, actor)).companyId).toBe(companies.results[0].id);
    // Another system's K-1 is another company.
    const [other] = await upsert([{ externalId: 'C-K2', record: { firstName: 'Road', companyExternalId: 'K-1' } }], [], 'navision');
    expect(other.outcome).toBe('failed');
  });

  it('gets, resolves and deletes by external id; another tenant knows none of them', async () => {
    const [a, b] = await upsert([
      { externalId: 'G-1', record: { firstName: 'Katherine' } },
      { externalId: 'G-2', record: { firstName: 'Dorothy' } },
    ]);
    expect(await ctx.call(getContactByExternalId, { system: 'sap', externalId: 'G-1' }, actor)).toMatchObject({ id: a.id, firstName: 'Katherine' });
    expect(await ctx.call(resolveContactExternalIds, { system: 'sap', externalIds: ['G-1', 'G-2', 'G-3'] }, actor)).toEqual({ ids: { 'G-1': a.id, 'G-2': b.id } });

    const stranger = ctx.newActor();
    await expectRemoteError(ctx.call(getContactByExternalId, { system: 'sap', externalId: 'G-1' }, stranger), 'NOT_FOUND');
    expect(await ctx.call(resolveContactExternalIds, { system: 'sap', externalIds: ['G-1'] }, stranger)).toEqual({ ids: {} });
    const theirs = await ctx.call(upsertContactsByExternalId, { system: 'sap', crmOwnedFields: [], items: [{ externalId: 'G-1', record: { firstName: 'Other' } }] }, stranger);
    expect(theirs.results[0]).toMatchObject({ outcome: 'created' });
    expect(theirs.results[0].id).not.toBe(a.id);

    const deleted = await ctx.call(deleteContactsByExternalId, { system: 'sap', items: [{ externalId: 'G-1' }, { externalId: 'G-9', line: 4 }] }, actor);
    expect(deleted.results).toEqual([
      { externalId: 'G-1', outcome: 'deleted', id: a.id },
      { externalId: 'G-9', line: 4, outcome: 'failed', error: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
    await expectRemoteError(ctx.call(getContactByExternalId, { system: 'sap', externalId: 'G-1' }, actor), 'NOT_FOUND');
    // Upserted again after the delete: a new record under the same external id.
    const [recreated] = await upsert([{ externalId: 'G-1', record: { firstName: 'Katherine' } }]);
    expect(recreated.outcome).toBe('created');
    expect(recreated.id).not.toBe(a.id);
  });

  it("follows a merge (the duplicate's external id finds the survivor) and forgets an erased person's ids", async () => {
    const [survivor, duplicate] = await upsert([
      { externalId: 'M-1', record: { firstName: 'Mary', lastName: 'Jackson' } },
      { externalId: 'M-2', record: { firstName: 'Mary', lastName: 'Jackson' } },
    ]);
    await ctx.call(mergeContacts, { id: survivor.id!, mergedId: duplicate.id! }, actor);
    expect(await ctx.call(resolveContactExternalIds, { system: 'sap', externalIds: ['M-1', 'M-2'] }, actor)).toEqual({ ids: { 'M-1': survivor.id, 'M-2': survivor.id } });
    const [viaDuplicate] = await upsert([{ externalId: 'M-2', record: { title: 'Engineer' } }]);
    expect(viaDuplicate).toMatchObject({ outcome: 'updated', id: survivor.id });

    await ctx.call(eraseContact, { id: survivor.id! }, actor);
    expect(await ctx.call(resolveContactExternalIds, { system: 'sap', externalIds: ['M-1', 'M-2'] }, actor)).toEqual({ ids: {} });
    const refs = await ctx.service.app.get(Database).selectFrom('external_ref').select('external_id').where('tenant_id', '=', actor.tenantId).where('record_id', '=', survivor.id!).execute();
    expect(refs).toEqual([]);
  });
});
