import { Kysely } from 'kysely';
import { Actor, Contact, CONTACT_SORTS, deleteContact, listContacts, updateContact } from '@crm/contracts';
import { testKysely } from '@crm/testing';
import type { DB } from '../../generated/kysely/database';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../../testing/contacts-test-context';

type ListRequest = Parameters<ContactsTestContext['call']>[1] & object;

describe('listing and searching contacts', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  const ids = (contacts: Contact[]) => contacts.map((c) => c.id);

  /** Every page of a list, following nextCursor; `between` runs after each page. */
  async function allPages(actor: Actor, request: ListRequest, between?: () => Promise<void>): Promise<Contact[]> {
    const out: Contact[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const reply = await ctx.call(listContacts, { ...request, cursor }, actor);
      out.push(...reply.data);
      if (!reply.nextCursor) return out;
      cursor = reply.nextCursor;
      await between?.();
    }
    throw new Error('too many pages');
  }

  describe('filters and sorts', () => {
    const actor = { tenantId: '', userId: 'u', roles: ['admin'] } as Actor;
    const owner = '11111111-1111-4111-8111-111111111111';
    let all: Contact[];
    let acme: string;

    beforeAll(async () => {
      Object.assign(actor, ctx.newActor());
      acme = (await ctx.newCompany(actor, { name: 'Acme' })).id;
      const specs = [
        { firstName: 'Zoe', lastName: 'adams', tags: ['vip'], lifecycleStage: 'customer' as const, companyId: acme },
        { firstName: 'Bob', lastName: 'Brown', ownerId: owner },
        { firstName: 'Émile', lastName: 'Éclair', tags: ['vip', 'fr'] },
        { firstName: 'Carl', lastName: 'Carter', lifecycleStage: 'customer' as const, ownerId: owner },
        { firstName: 'Nolast' },
        { firstName: 'Dan', lastName: 'Davis', companyId: acme },
      ];
      all = [];
      for (const contact of specs) all.push(await ctx.newContact(actor, contact));
      // Touch one so updatedAt and createdAt orders differ.
      all[1] = await ctx.call(updateContact, { id: all[1].id, patch: { title: 'touched' } }, actor);
    });

    it('filters by tag, company, owner, lifecycle stage and updatedSince, and combinations', async () => {
      const list = async (filter: object) => ids((await ctx.call(listContacts, { filter, limit: 100 }, actor)).data).sort();
      const idsOf = (...indexes: number[]) => indexes.map((i) => all[i].id).sort();
      expect(await list({ tag: 'vip' })).toEqual(idsOf(0, 2));
      expect(await list({ companyId: acme })).toEqual(idsOf(0, 5));
      expect(await list({ ownerId: owner })).toEqual(idsOf(1, 3));
      expect(await list({ lifecycleStage: 'customer' })).toEqual(idsOf(0, 3));
      expect(await list({ lifecycleStage: 'customer', ownerId: owner })).toEqual(idsOf(3));
      expect(await list({ updatedSince: all[1].updatedAt })).toEqual(idsOf(1));
      expect(await list({})).toEqual(idsOf(0, 1, 2, 3, 4, 5));
    });

    const expected: Record<(typeof CONTACT_SORTS)[number], (a: Contact, b: Contact) => number> = {
      lastName: (a, b) => key(a).localeCompare(key(b)),
      '-lastName': (a, b) => key(b).localeCompare(key(a)),
      updatedAt: (a, b) => a.updatedAt.localeCompare(b.updatedAt),
      '-updatedAt': (a, b) => b.updatedAt.localeCompare(a.updatedAt),
      createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt),
      '-createdAt': (a, b) => b.createdAt.localeCompare(a.createdAt),
    };
    // Sorting by last name ignores case and accents; no last name sorts first.
    const key = (c: Contact) => (c.lastName ?? '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

    it.each(CONTACT_SORTS)('sorts by %s, across pages of 2', async (sort) => {
      const paged = await allPages(actor, { sort, limit: 2 });
      const current = await Promise.all(all.map(async (c) => (await ctx.call(listContacts, { limit: 100 }, actor)).data.find((x) => x.id === c.id) as Contact));
      expect(ids(paged)).toEqual(ids([...current].sort(expected[sort])));
    });

    it('refuses a cursor of another sort, naming the cursor', async () => {
      const { nextCursor } = await ctx.call(listContacts, { sort: 'lastName', limit: 2 }, actor);
      const error = await expectRemoteError(ctx.call(listContacts, { sort: '-createdAt', cursor: nextCursor as string }, actor), 'VALIDATION_FAILED');
      expect(failedPaths(error)).toEqual(['cursor']);
      await expectRemoteError(ctx.call(listContacts, { cursor: 'garbage' }, actor), 'VALIDATION_FAILED');
    });

    it('refuses an unknown sort or filter value, naming it', async () => {
      const error = await expectRemoteError(
        ctx.callUnchecked(listContacts, { sort: 'firstName', filter: { lifecycleStage: 'x' } }, actor),
        'VALIDATION_FAILED',
      );
      expect(failedPaths(error)).toEqual(expect.arrayContaining(['sort', 'filter.lifecycleStage']));
    });
  });

  it.each(['-updatedAt', 'lastName', '-createdAt'] as const)('pages by %s without duplicates or skips while contacts are added between pages', async (sort) => {
    const actor = ctx.newActor();
    const existing: Contact[] = [];
    for (let i = 0; i < 9; i++) existing.push(await ctx.newContact(actor, { lastName: `M${i}` }));
    let added = 0;
    const seen = await allPages(actor, { sort, limit: 3 }, async () => {
      // One sorting before everything seen so far, one after.
      await ctx.newContact(actor, { lastName: `A${added}` });
      await ctx.newContact(actor, { lastName: `Z${added++}` });
    });
    const seenIds = ids(seen);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(seenIds).toEqual(expect.arrayContaining(ids(existing)));
  });

  describe('search (filter.q)', () => {
    let actor: Actor;
    let john: Contact;
    let jane: Contact;
    let johnny: Contact;
    let ana: Contact;

    beforeAll(async () => {
      actor = ctx.newActor();
      const globex = await ctx.newCompany(actor, { name: 'Globex Corporation' });
      john = await ctx.newContact(actor, {
        firstName: 'John',
        lastName: 'Smith',
        emails: [{ address: 'j.smith@initech.example' }],
        phones: [{ number: '+1 (555) 010-0200' }],
        tags: ['vip'],
      });
      jane = await ctx.newContact(actor, { firstName: 'Jane', lastName: 'Doe', emails: [{ address: 'jane@globex.example' }], companyId: globex.id });
      johnny = await ctx.newContact(actor, { firstName: 'Johnny', lastName: 'Smithers', lifecycleStage: 'customer' });
      ana = await ctx.newContact(actor, { firstName: 'Ana', lastName: 'Müller' });
      for (let i = 0; i < 5; i++) await ctx.newContact(actor, { firstName: `Other${i}`, lastName: 'Person' });
      // Another tenant's John Smith is never found.
      await ctx.newContact(ctx.newActor(), { firstName: 'John', lastName: 'Smith' });
    });

    const search = async (q: string, extra: object = {}) => ids((await ctx.call(listContacts, { filter: { q, ...extra }, limit: 100 }, actor)).data);

    it('finds by name, ranking the best match first', async () => {
      const found = await search('John Smith');
      expect(found[0]).toBe(john.id);
      expect(found).not.toContain(jane.id);
      expect(found).not.toContain(ana.id);
    });

    it('tolerates typos: "Jon Smiht", "Jhon Smith", "smtih"', async () => {
      expect((await search('Jon Smiht'))[0]).toBe(john.id);
      expect((await search('Jhon Smith'))[0]).toBe(john.id);
      expect(await search('smtih')).toContain(john.id);
    });

    it('ignores accents and case', async () => {
      expect(await search('muller')).toEqual([ana.id]);
      expect(await search('MÜLLER')).toEqual([ana.id]);
    });

    it('finds by email address, whole or part', async () => {
      expect((await search('j.smith@initech.example'))[0]).toBe(john.id);
      expect(await search('initech')).toEqual([john.id]);
    });

    it('finds by phone digits, however written', async () => {
      expect(await search('555-010-0200')).toEqual([john.id]);
      expect(await search('+1 555 010 0200')).toEqual([john.id]);
      expect(await search('0100200')).toEqual([john.id]);
    });

    it("finds by the company's name", async () => {
      expect(await search('globex')).toEqual([jane.id]);
      expect(await search('Glbex Corp')).toEqual([jane.id]);
    });

    it('combines with the other filters', async () => {
      expect(await search('smith', { lifecycleStage: 'customer' })).toEqual([johnny.id]);
      expect(await search('smith', { tag: 'vip' })).toEqual([john.id]);
    });

    it('finds nothing for unrelated text', async () => {
      expect(await search('zebra xylophone')).toEqual([]);
    });

    it('pages by relevance with a cursor, without duplicates', async () => {
      const all = await search('person');
      expect(all).toHaveLength(5);
      const paged = ids(await allPages(actor, { filter: { q: 'person' }, limit: 2 }));
      expect(paged).toEqual(all);
    });

    it('leaves deleted contacts out unless includeDeleted', async () => {
      const gone = await ctx.newContact(actor, { firstName: 'Vanishing', lastName: 'Act' });
      await ctx.call(deleteContact, { id: gone.id }, actor);
      expect(await search('vanishing')).toEqual([]);
      expect(await search('vanishing', { includeDeleted: true })).toEqual([gone.id]);
    });

    it('finds by a piece of an address across its punctuation, and by a long word with a typo', async () => {
      expect(await search('smith@initech')).toEqual([john.id]);
      const long = await ctx.newContact(actor, { firstName: 'Hugh', lastName: 'Featherstonehaugh' });
      expect(await search('featherstonhaugh')).toEqual([long.id]);
      expect(await search('hugh fetherstonehaugh')).toEqual([long.id]);
    });

    it('ranks exact word matches (own or the company’s) first, in id order, then typo candidates, the same whether paged or not', async () => {
      const exactActor = ctx.newActor();
      const firm = await ctx.newCompany(exactActor, { name: 'Kowalski Logistics' });
      const exact = [
        await ctx.newContact(exactActor, { firstName: 'Anna', lastName: 'Kowalski' }, true),
        await ctx.newContact(exactActor, { firstName: 'Piotr', lastName: 'Kowalski' }, true),
        await ctx.newContact(exactActor, { firstName: 'Marek', lastName: 'Kowalski' }, true),
        await ctx.newContact(exactActor, { firstName: 'Ewa', lastName: 'Nowak', companyId: firm.id }, true),
      ];
      const typos = [
        await ctx.newContact(exactActor, { firstName: 'Jan', lastName: 'Kowalsky' }, true),
        await ctx.newContact(exactActor, { firstName: 'Ola', lastName: 'Kowalska' }, true),
      ];
      const deleted = await ctx.newContact(exactActor, { firstName: 'Gone', lastName: 'Kowalski' }, true);
      await ctx.call(deleteContact, { id: deleted.id }, exactActor);

      const whole = ids((await ctx.call(listContacts, { filter: { q: 'kowalski' }, limit: 100 }, exactActor)).data);
      expect(whole.slice(0, 4)).toEqual(ids(exact).sort());
      expect(whole.slice(4).sort()).toEqual(ids(typos).sort());
      // Pages of two: the first two are read from the exact words alone, the third crosses into the typo candidates.
      for (const limit of [1, 2, 3]) expect(ids(await allPages(exactActor, { filter: { q: 'kowalski' }, limit }))).toEqual(whole);
      // Every term must match exactly for a contact to count as an exact match.
      const both = ids((await ctx.call(listContacts, { filter: { q: 'piotr kowalski' }, limit: 1 }, exactActor)).data);
      expect(both).toEqual([exact[1].id]);
    });

    it('finds nothing for text without letters or digits', async () => {
      expect(await search('--')).toEqual([]);
      expect(await search('@')).toEqual([]);
    });
  });

  describe('search words (what a contact is found by) kept in step with its writes', () => {
    let db: Kysely<DB>;

    beforeAll(() => {
      db = testKysely<DB>(ctx.service.db.url);
    });
    afterAll(() => db?.destroy());

    const vocabulary = async (tenantId: string) =>
      (await db.selectFrom('search_word').select('word').where('tenant_id', '=', tenantId).orderBy('word').execute()).map((r) => r.word);

    it('an update replaces them: the old name and address find it no more (their words leave the vocabulary), the new ones do, typos included', async () => {
      const actor = ctx.newActor();
      const search = async (q: string) => ids((await ctx.call(listContacts, { filter: { q }, limit: 100 }, actor)).data);
      const other = await ctx.newContact(actor, { firstName: 'Orla', lastName: 'Quinn', emails: [{ address: 'orla@shared.example' }] });
      const contact = await ctx.newContact(actor, { firstName: 'Wilhelmina', lastName: 'Quinn', emails: [{ address: 'mina@oldplace.example' }] });
      expect(await search('wilhelmnia')).toEqual([contact.id]);

      await ctx.call(updateContact, { id: contact.id, patch: { firstName: 'Rosalind', emails: [{ address: 'rosalind@shared.example' }] } }, actor);

      expect(await search('wilhelmina')).toEqual([]);
      expect(await search('oldplace')).toEqual([]);
      expect(await search('rosalnid')).toEqual([contact.id]);
      expect(await search('rosalind@shared.example')).toEqual([contact.id]);
      expect((await search('quinn')).sort()).toEqual([contact.id, other.id].sort());
      // Gone with their last holder; "quinn", "shared" and "example" are still someone's.
      expect(await vocabulary(actor.tenantId)).toEqual(['example', 'orla', 'quinn', 'rosalind', 'shared']);
      // Its links are exactly its new words (the old ones were found by their words, with no index on contact_id).
      const links = await db.selectFrom('contact_search_word').select('word').where('contact_id', '=', contact.id).orderBy('word').execute();
      expect(links.map((l) => l.word)).toEqual(['example', 'quinn', 'rosalind', 'shared']);
    });

    it('an exact word is found even when missing from the vocabulary (the links are read directly); typos of it need the vocabulary', async () => {
      const actor = ctx.newActor();
      const contact = await ctx.newContact(actor, { firstName: 'Ottoline', lastName: 'Morrell' });
      await db.deleteFrom('search_word').where('tenant_id', '=', actor.tenantId).where('word', '=', 'ottoline').execute();
      const search = async (q: string) => ids((await ctx.call(listContacts, { filter: { q } }, actor)).data);
      expect(await search('ottoline')).toEqual([contact.id]);
      expect(await search('otoline')).toEqual([]);
      expect(await search('morell')).toEqual([contact.id]);
    });
  });
});
