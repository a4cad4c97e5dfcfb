import { randomUUID } from 'node:crypto';
import { Kysely } from 'kysely';
import {
  Actor,
  contactCreated,
  contactDeleted,
  contactUpdated,
  defineCustomField,
  deleteCompaniesByExternalId,
  deleteContactsByExternalId,
  eraseContact,
  getCompanyByExternalId,
  getContact,
  getContactByExternalId,
  listContacts,
  mergeContacts,
  resolveContactExternalIds,
  updateContact,
  upsertCompaniesByExternalId,
  upsertContactsByExternalId,
} from '@crm/contracts';
import { testKysely } from '@crm/testing';
import type { DB } from '../generated/kysely/database';
import { ContactsTestContext, expectRemoteError } from '../testing/contacts-test-context';

/** Records keyed by an outside system's ids, over the bus as the integration gateway calls them, on a real database. */
describe('records by external id', () => {
  let ctx: ContactsTestContext;
  let db: Kysely<DB>;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    db = testKysely<DB>(ctx.service.db.url);
  });

  afterAll(async () => {
    await db?.destroy();
    await ctx?.close();
  });

  /** The outbox rows (published or not) of a record, by type: what the upserts wrote for it. */
  const outboxTypes = async (subject: string) =>
    (await db.selectFrom('outbox_message').select('type').where('subject', '=', subject).orderBy('seq').execute()).map((r) => r.type);
  const upsert = (
    actor: Actor,
    items: { externalId: string; line?: number; record: Record<string, unknown> }[],
    crmOwnedFields: string[] = [],
    system = 'sap-prod',
  ) => ctx.call(upsertContactsByExternalId, { system, crmOwnedFields, items }, actor);

  it('creates new contacts, stored and published as single creates, with their lines echoed', async () => {
    const actor = ctx.newActor();
    const { results } = await upsert(actor, [
      { externalId: 'C-1', line: 2, record: { firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: 'ada@example.com' }], tags: ['erp', 'erp'] } },
      { externalId: 'C-2', line: 3, record: { firstName: 'Grace', lastName: 'Hopper', phones: [{ number: '+1 555 0101' }], lifecycleStage: 'customer' } },
    ]);

    expect(results.map((r) => [r.externalId, r.line, r.outcome])).toEqual([
      ['C-1', 2, 'created'],
      ['C-2', 3, 'created'],
    ]);
    const ada = await ctx.call(getContact, { id: results[0].id as string }, actor);
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: 'ada@example.com', primary: true }], tags: ['erp'], version: 1 });
    expect(await ctx.call(getContactByExternalId, { system: 'sap-prod', externalId: 'C-1' }, actor)).toEqual(
      (({ lastPurchaseAt: _l, lifetimeValue: _v, ...contact }) => contact)(ada),
    );
    const created = await ctx.event((e) => e.type === contactCreated.name && e.subject === ada.id);
    expect(created.data).toEqual({ contact: expect.objectContaining({ id: ada.id, firstName: 'Ada', version: 1 }) });
    // Searchable as any contact is.
    expect((await ctx.call(listContacts, { filter: { q: 'hopper' } }, actor)).data.map((c) => c.id)).toEqual([results[1].id]);
  });

  it('updates known ones (patch semantics), leaves equal ones unchanged (no write, no event), and the same batch twice is all unchanged', async () => {
    const actor = ctx.newActor();
    const batch = Array.from({ length: 20 }, (_, n) => ({
      externalId: `K-${n}`,
      record: { firstName: `Name${n}`, lastName: `Family${n}`, emails: [{ address: `k${n}@example.com` }], tags: ['erp'] },
    }));
    const first = await upsert(actor, batch);
    expect(first.results.every((r) => r.outcome === 'created')).toBe(true);

    const again = await upsert(actor, batch);
    expect(again.results.map((r) => r.outcome)).toEqual(batch.map(() => 'unchanged'));
    expect(again.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));

    const changed = await upsert(actor, [
      { externalId: 'K-0', record: { title: 'CTO', emails: [{ address: 'new0@example.com' }] } },
      { externalId: 'K-1', record: { firstName: 'Name1' } },
    ]);
    expect(changed.results.map((r) => r.outcome)).toEqual(['updated', 'unchanged']);
    const k0 = await ctx.call(getContact, { id: first.results[0].id as string }, actor);
    expect(k0).toMatchObject({ firstName: 'Name0', lastName: 'Family0', title: 'CTO', emails: [{ address: 'new0@example.com', primary: true }], version: 2 });
    const updated = await ctx.event((e) => e.type === contactUpdated.name && e.subject === k0.id);
    expect(updated.data).toEqual({ contact: k0WithoutDetail(k0), changed: ['title', 'emails'] });
    // Search follows the new address; the old one finds nothing.
    expect((await ctx.call(listContacts, { filter: { q: 'new0@example.com' } }, actor)).data.map((c) => c.id)).toEqual([k0.id]);
    expect((await ctx.call(listContacts, { filter: { q: 'k0@example.com' } }, actor)).data).toEqual([]);
    expect(await outboxTypes(k0.id)).toEqual([contactCreated.name, contactUpdated.name]);
    expect(await outboxTypes(first.results[1].id as string)).toEqual([contactCreated.name]);
  });

  it('fails a bad item alone, naming its fields, and applies the rest', async () => {
    const actor = ctx.newActor();
    await ctx.call(defineCustomField, { definition: { entity: 'contact', key: 'erp_rank', label: 'Rank', type: 'number' } }, actor);
    const { results } = await upsert(actor, [
      { externalId: 'F-1', line: 10, record: { firstName: 'Ok', customFields: { erp_rank: 3 } } },
      { externalId: 'F-2', line: 11, record: { lastName: 'No first name', emails: [{ address: 'not-an-email' }] } },
      { externalId: 'F-3', line: 12, record: { firstName: 'Bad field', customFields: { erp_rank: 'high' } } },
      { externalId: 'F-4', line: 13, record: { firstName: 'Unknown company', companyExternalId: 'NOPE' } },
      { externalId: 'F-1', line: 14, record: { firstName: 'Twice' } },
    ]);

    expect(results.map((r) => r.outcome)).toEqual(['created', 'failed', 'failed', 'failed', 'failed']);
    expect(results[1]).toMatchObject({ externalId: 'F-2', line: 11, error: { code: 'VALIDATION_FAILED' } });
    expect(results[1].error?.fields?.map((f) => f.field).sort()).toEqual(['record.emails.0.address', 'record.firstName']);
    expect(results[2].error?.fields?.map((f) => f.field)).toEqual(['record.customFields.erp_rank']);
    expect(results[3].error?.fields).toEqual([{ field: 'record.companyExternalId', message: 'no such company' }]);
    expect(results[4].error?.fields?.map((f) => f.field)).toEqual(['externalId']);
    expect(results.slice(1).every((r) => r.id === undefined)).toBe(true);
    const resolved = await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['F-1', 'F-2', 'F-3', 'F-4'] }, actor);
    expect(resolved.ids).toEqual({ 'F-1': results[0].id });
    expect((await ctx.call(getContact, { id: results[0].id as string }, actor)).customFields).toEqual({ erp_rank: 3 });
  });

  it('keeps CRM-owned fields on update, reporting differing values as conflicts, and writes them on create', async () => {
    const actor = ctx.newActor();
    const owned = ['lifecycleStage', 'tags'];
    const [created] = (await upsert(actor, [{ externalId: 'O-1', record: { firstName: 'Olga', lifecycleStage: 'prospect', tags: ['from-erp'] } }], owned))
      .results;
    expect(created.outcome).toBe('created');
    expect(await ctx.call(getContact, { id: created.id as string }, actor)).toMatchObject({ lifecycleStage: 'prospect', tags: ['from-erp'] });
    // The CRM moves the contact on.
    await ctx.call(updateContact, { id: created.id as string, patch: { lifecycleStage: 'customer', tags: ['vip'] } }, actor);

    const { results } = await upsert(
      actor,
      [{ externalId: 'O-1', record: { firstName: 'Olga', title: 'Buyer', lifecycleStage: 'prospect', tags: ['vip'] } }],
      owned,
    );

    expect(results[0]).toMatchObject({ outcome: 'updated', id: created.id, conflicts: [{ field: 'lifecycleStage', incoming: 'prospect' }] });
    expect(await ctx.call(getContact, { id: created.id as string }, actor)).toMatchObject({ title: 'Buyer', lifecycleStage: 'customer', tags: ['vip'] });
    // One custom field owned: the rest of the custom fields apply.
    await ctx.call(defineCustomField, { definition: { entity: 'contact', key: 'erp_code', label: 'Code', type: 'text' } }, actor);
    await ctx.call(defineCustomField, { definition: { entity: 'contact', key: 'crm_score', label: 'Score', type: 'number' } }, actor);
    await ctx.call(updateContact, { id: created.id as string, patch: { customFields: { crm_score: 7 } } }, actor);
    const [custom] = (await upsert(actor, [{ externalId: 'O-1', record: { customFields: { erp_code: 'X1', crm_score: 1 } } }], ['customFields.crm_score']))
      .results;
    expect(custom).toMatchObject({ outcome: 'updated', conflicts: [{ field: 'customFields.crm_score', incoming: 1 }] });
    expect((await ctx.call(getContact, { id: created.id as string }, actor)).customFields).toEqual({ erp_code: 'X1', crm_score: 7 });
    const [allCustom] = (await upsert(actor, [{ externalId: 'O-1', record: { customFields: { erp_code: 'X2' } } }], ['customFields'])).results;
    expect(allCustom).toMatchObject({ outcome: 'unchanged', conflicts: [{ field: 'customFields', incoming: { erp_code: 'X2' } }] });
    // Only an owned field differing: nothing else to apply.
    const [only] = (await upsert(actor, [{ externalId: 'O-1', record: { lifecycleStage: 'lead' } }], owned)).results;
    expect(only).toMatchObject({ outcome: 'unchanged', conflicts: [{ field: 'lifecycleStage', incoming: 'lead' }] });
  });

  it('links a contact to the company of the same system by its external id', async () => {
    const actor = ctx.newActor();
    const companies = await ctx.call(upsertCompaniesByExternalId, { system: 'sap-prod', items: [{ externalId: 'ACME', record: { name: 'Acme' } }] }, actor);
    expect(companies.results[0].outcome).toBe('created');
    // The same external id of another system is another company (none).
    const otherSystem = await upsert(actor, [{ externalId: 'P-0', record: { firstName: 'Nobody', companyExternalId: 'ACME' } }], [], 'other-erp');
    expect(otherSystem.results[0].outcome).toBe('failed');

    const { results } = await upsert(actor, [{ externalId: 'P-1', record: { firstName: 'Pat', companyExternalId: 'ACME' } }]);

    expect((await ctx.call(getContact, { id: results[0].id as string }, actor)).companyId).toBe(companies.results[0].id);
    expect(await ctx.call(getCompanyByExternalId, { system: 'sap-prod', externalId: 'ACME' }, actor)).toMatchObject({
      id: companies.results[0].id,
      name: 'Acme',
    });
    const unlinked = await upsert(actor, [{ externalId: 'P-1', record: { companyExternalId: null } }]);
    expect(unlinked.results[0].outcome).toBe('updated');
    expect((await ctx.call(getContact, { id: results[0].id as string }, actor)).companyId).toBeNull();
    const renamed = await ctx.call(upsertCompaniesByExternalId, { system: 'sap-prod', items: [{ externalId: 'ACME', record: { name: 'Acme Inc' } }] }, actor);
    expect(renamed.results[0]).toMatchObject({ outcome: 'updated', id: companies.results[0].id });
    const deleted = await ctx.call(deleteCompaniesByExternalId, { system: 'sap-prod', items: [{ externalId: 'ACME' }, { externalId: 'NONE' }] }, actor);
    expect(deleted.results.map((r) => r.outcome)).toEqual(['deleted', 'failed']);
    await expectRemoteError(ctx.call(getCompanyByExternalId, { system: 'sap-prod', externalId: 'ACME' }, actor), 'NOT_FOUND');
  });

  it('deletes by external id as DELETE does; unknown and already deleted ones fail NOT_FOUND; a later upsert makes a new contact', async () => {
    const actor = ctx.newActor();
    const { results } = await upsert(actor, [{ externalId: 'D-1', record: { firstName: 'Dora' } }]);
    const id = results[0].id as string;

    const reply = await ctx.call(deleteContactsByExternalId, { system: 'sap-prod', items: [{ externalId: 'D-1', line: 5 }, { externalId: 'D-404' }] }, actor);

    expect(reply.results).toEqual([
      { externalId: 'D-1', line: 5, outcome: 'deleted', id },
      { externalId: 'D-404', outcome: 'failed', error: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
    expect((await ctx.call(getContact, { id }, actor)).deletedAt).not.toBeNull();
    expect((await ctx.event((e) => e.type === contactDeleted.name && e.subject === id)).data).toMatchObject({ contactId: id });
    const twice = await ctx.call(deleteContactsByExternalId, { system: 'sap-prod', items: [{ externalId: 'D-1' }] }, actor);
    expect(twice.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'NOT_FOUND' } });
    await expectRemoteError(ctx.call(getContactByExternalId, { system: 'sap-prod', externalId: 'D-1' }, actor), 'NOT_FOUND');
    expect((await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['D-1'] }, actor)).ids).toEqual({});

    const back = await upsert(actor, [{ externalId: 'D-1', record: { firstName: 'Dora' } }]);
    expect(back.results[0].outcome).toBe('created');
    expect(back.results[0].id).not.toBe(id);
    expect((await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['D-1'] }, actor)).ids).toEqual({ 'D-1': back.results[0].id });
  });

  it("moves a merged contact's external ids to the survivor, and forgets those of an erased contact and the contacts merged into it", async () => {
    const actor = ctx.newActor();
    const { results } = await upsert(actor, [
      { externalId: 'M-A', record: { firstName: 'Survivor' } },
      { externalId: 'M-B', record: { firstName: 'Merged' } },
    ]);
    const [a, b] = results.map((r) => r.id as string);

    await ctx.call(mergeContacts, { id: a, mergedId: b }, actor);

    expect((await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['M-A', 'M-B'] }, actor)).ids).toEqual({ 'M-A': a, 'M-B': a });
    const [next] = (await upsert(actor, [{ externalId: 'M-B', record: { title: 'Merged title' } }])).results;
    expect(next).toMatchObject({ outcome: 'updated', id: a });

    await ctx.call(eraseContact, { id: a }, actor);

    expect(await db.selectFrom('external_ref').selectAll().where('tenant_id', '=', actor.tenantId).execute()).toEqual([]);
    expect((await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['M-A', 'M-B'] }, actor)).ids).toEqual({});
  });

  it("isolates tenants: another tenant's external id is unknown, and the same id is another record there", async () => {
    const one = ctx.newActor();
    const two = ctx.newActor(randomUUID());
    const [mine] = (await upsert(one, [{ externalId: 'T-1', record: { firstName: 'Mine' } }])).results;

    await expectRemoteError(ctx.call(getContactByExternalId, { system: 'sap-prod', externalId: 'T-1' }, two), 'NOT_FOUND');
    expect((await ctx.call(resolveContactExternalIds, { system: 'sap-prod', externalIds: ['T-1'] }, two)).ids).toEqual({});
    const del = await ctx.call(deleteContactsByExternalId, { system: 'sap-prod', items: [{ externalId: 'T-1' }] }, two);
    expect(del.results[0].outcome).toBe('failed');
    const [theirs] = (await upsert(two, [{ externalId: 'T-1', record: { firstName: 'Theirs' } }])).results;

    expect(theirs.outcome).toBe('created');
    expect(theirs.id).not.toBe(mine.id);
    expect((await ctx.call(getContactByExternalId, { system: 'sap-prod', externalId: 'T-1' }, one)).firstName).toBe('Mine');
  });

  it('makes one contact per external id when two batches with the same new ids run at once', async () => {
    const actor = ctx.newActor();
    const batch = Array.from({ length: 200 }, (_, n) => ({ externalId: `R-${n}`, record: { firstName: `Race${n}` } }));

    const [one, two] = await Promise.all([upsert(actor, batch), upsert(actor, batch)]);

    const outcomes = [...one.results, ...two.results].map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(200);
    expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(200);
    expect(one.results.map((r) => r.id)).toEqual(two.results.map((r) => r.id));
    const stored = await db.selectFrom('contact').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    expect(stored).toEqual({ n: '200' });
  });

  it('runs overlapping batches in any item order at once without deadlock, each id one contact, and leaves no claim of a failed item', async () => {
    const actor = ctx.newActor();
    const item = (n: number) => ({ externalId: `O-${n}`, record: n % 50 === 7 ? { lastName: 'no first name' } : { firstName: `Overlap${n}` } });
    const forward = Array.from({ length: 300 }, (_, n) => item(n));
    const backward = Array.from({ length: 300 }, (_, n) => item(449 - n));
    const shuffled = Array.from({ length: 300 }, (_, n) => item((n * 7) % 450));

    const replies = await Promise.all([upsert(actor, forward), upsert(actor, backward), upsert(actor, shuffled)]);

    const idsOf = new Map<string, Set<string>>();
    for (const result of replies.flatMap((r) => r.results)) {
      if (result.id) idsOf.set(result.externalId, new Set([...(idsOf.get(result.externalId) ?? []), result.id]));
    }
    expect([...idsOf.values()].every((ids) => ids.size === 1)).toBe(true);
    const failing = Array.from({ length: 450 }, (_, n) => n).filter((n) => n % 50 === 7).length;
    const stored = await db.selectFrom('contact').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    expect(stored).toEqual({ n: String(450 - failing) });
    const refs = await db.selectFrom('external_ref').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    expect(refs).toEqual({ n: String(450 - failing) });
  });

  it('upserts a batch of 1,000 (new, then all changed) set-based', async () => {
    const actor = ctx.newActor();
    const items = (suffix: string) =>
      Array.from({ length: 1_000 }, (_, n) => ({
        externalId: `B-${n}`,
        line: n + 2,
        record: {
          firstName: `Bulk${n}${suffix}`,
          lastName: 'Load',
          emails: [{ address: `bulk${n}@example.com` }],
          phones: [{ number: `+1 555 ${String(n).padStart(4, '0')}` }],
        },
      }));
    const created = await upsert(actor, items(''));
    expect(created.results.filter((r) => r.outcome === 'created')).toHaveLength(1_000);
    const updated = await upsert(actor, items('x'));
    expect(updated.results.filter((r) => r.outcome === 'updated')).toHaveLength(1_000);
    expect(updated.results.map((r) => r.id)).toEqual(created.results.map((r) => r.id));
    const last = await ctx.call(getContact, { id: updated.results[999].id as string }, actor);
    expect(last).toMatchObject({ firstName: 'Bulk999x', version: 2, emails: [{ address: 'bulk999@example.com', primary: true }] });
    expect(await db.selectFrom('contact_email').select(db.fn.countAll<string>().as('n')).where('tenant_id', '=', actor.tenantId).executeTakeFirst()).toEqual({
      n: '1000',
    });
  });
});

/** A contact as events carry it (GET adds purchases). */
function k0WithoutDetail<T extends { lastPurchaseAt: unknown; lifetimeValue: unknown }>({ lastPurchaseAt: _l, lifetimeValue: _v, ...contact }: T) {
  return contact;
}
