import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPg } from '@crm/messaging';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { ClsService } from 'nestjs-cls';
import { deleteContact, getContact, listContacts, mergeContacts, restoreContact, updateContact as updateContactCommand } from '@crm/contracts';
import { sortSpec } from '@crm/service-kit';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import type { CommonTags } from './common-tags';
import { toContact } from './contact.mapper';
import { CONTACT_SORT_COLUMNS, ContactRepository } from './contact.repository';
import { searchTerms } from '../shared/search-terms';
import { orderOf, SalesEvents } from '../testing/sales-event-builders';
import { contactInsert, ContactWrite, NEW_CONTACT_COLUMNS, selectContacts, updateContact } from './contact.table';

/** Compiles statements without a database: what the table module builds. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const write: ContactWrite = {
  firstName: 'Grace',
  lastName: 'Hopper',
  title: null,
  emails: [{ address: 'Grace@Navy.example', primary: true }],
  phones: [{ number: '+1 202 555 0100', label: 'desk', primary: true }],
  addresses: [],
  companyId: null,
  ownerId: null,
  tags: ['cobol'],
  lifecycleStage: 'lead',
  customFields: {},
};

const outbox = { id: 'e', type: 't', routing_key: 't', tenant_id: 't1', subject: 's', envelope: '{}', headers: '{}' };

describe('contact table module: the shape of its statements', () => {
  const repository = new ContactRepository(compiler as Database, {} as CommonTags);

  it('a read selects exactly the fields of ContactRow, which a create builds without reading', () => {
    expect(selectContacts(compiler).compile().sql).toBe(
      'select "c"."id", "c"."tenant_id" as "tenantId", "c"."first_name" as "firstName", "c"."last_name" as "lastName", ' +
        '"c"."sort_last_name" as "sortLastName", "c"."title", "c"."addresses" as "addresses", "c"."company_id" as "companyId", ' +
        '"c"."owner_id" as "ownerId", "c"."tags", "c"."lifecycle_stage" as "lifecycleStage", "c"."custom_fields" as "customFields", ' +
        '"c"."version", "c"."created_at" as "createdAt", "c"."updated_at" as "updatedAt", "c"."deleted_at" as "deletedAt", ' +
        '"c"."erased_at" as "erasedAt", "c"."email_list" as "emails", "c"."phone_list" as "phones" from "contact" as "c"',
    );
    const { row } = repository.newContact('t1', write);
    expect(Object.keys(row).sort()).toEqual(
      [
        ...selectContacts(compiler)
          .compile()
          .sql.split(' from ')[0]
          .matchAll(/(?:as "(\w+)"|"c"\."(\w+)"(?=,|$))/g),
      ]
        .map((m) => m[1] ?? m[2])
        .sort(),
    );
  });

  it('the prepared create inserts every column contactInsert sets (one added there and not to NEW_CONTACT_COLUMNS would be dropped)', () => {
    const row = { id: 'c1', tenantId: 't1', createdAt: new Date() };
    expect(Object.keys(contactInsert(row, write, { emails: [], phones: [] })).sort()).toEqual([...NEW_CONTACT_COLUMNS].sort());
  });

  it('a create is one statement: the contact, its emails, phones and words, and the outbox row, every value a parameter', () => {
    const { row, insert } = repository.newContact('t1', write);
    const { sql, parameters } = insert(outbox);
    expect(sql).toMatch(
      /^with "new_contact" as \(insert into "contact" \("id", "tenant_id", "created_at", "updated_at", "version", "first_name", "last_name", "sort_last_name", "title", "addresses", "company_id", "owner_id", "tags", "lifecycle_stage", "custom_fields", "email_list", "phone_list"\) values \(\$1, \$2, \$3, \$4, \$5, \$6, \$7, \$8, \$9, \$10, \$11, \$12, \$13, \$14, \$15, \$16, \$17\)\), "new_emails" as \(insert into "contact_email" .* jsonb_to_recordset.*\), "new_phones" as \(insert into "contact_phone" .* jsonb_to_recordset.*\), "new_search_words" as \(insert into "search_word" .* on conflict do nothing\), "new_contact_search_words" as \(insert into "contact_search_word" .*\) insert into "outbox_message" \("id", "type", "routing_key", "tenant_id", "subject", "envelope", "headers"\) values \(\$\d+, \$\d+, \$\d+, \$\d+, \$\d+, \$\d+, \$\d+\)$/s,
    );
    expect(parameters.slice(0, 9)).toEqual([row.id, 't1', row.createdAt, row.createdAt, 1, 'Grace', 'Hopper', 'hopper', null]);
    expect(parameters).toContain(JSON.stringify(row.emails));
    expect(row.emails).toEqual([expect.objectContaining({ address: 'Grace@Navy.example', addressKey: 'grace@navy.example', position: 0 })]);
    expect(row.phones).toEqual([expect.objectContaining({ digits: '12025550100', label: 'desk' })]);
    // The words of names, address parts and phone digits, as one array parameter.
    expect(parameters).toContainEqual(['12025550100', 'example', 'grace', 'hopper', 'navy']);
    // One text for any number of emails, phones and words: prepared once per connection.
    const textOf = (data: Partial<typeof write>) => repository.newContact('t1', { ...write, ...data }).insert(outbox).sql;
    const twoOfEach = textOf({ emails: [...write.emails, ...write.emails], phones: [...write.phones, ...write.phones], lastName: null });
    expect(twoOfEach).toBe(sql);
    // Without emails or phones, without their inserts (an insert of no rows still cost Postgres its set-up).
    const withoutPhones = textOf({ phones: [] });
    expect(withoutPhones).toContain('"new_emails"');
    expect(withoutPhones).not.toContain('"new_phones"');
    const withoutEmails = textOf({ emails: [] });
    expect(withoutEmails).toContain('"new_phones"');
    expect(withoutEmails).not.toContain('"new_emails"');
    expect(textOf({ emails: [], phones: [] })).not.toMatch(/"new_emails"|"new_phones"/);
  });

  it('an update sets the state with the next version, only at the expected version of an unerased contact', () => {
    const { sql, parameters } = updateContact(compiler, { tenantId: 't1', id: 'c1', version: 3 }, { deleted_at: null }).compile();
    expect(sql).toBe(
      'update "contact" set "deleted_at" = $1, "version" = "version" + $2, "updated_at" = $3 where "id" = $4 and "tenant_id" = $5 and "version" = $6 and "erased_at" is null',
    );
    expect(parameters).toEqual([null, 1, expect.any(Date), 'c1', 't1', 3]);
  });
});

/** The reads and the create on a real database: what they give must be what Prisma sees. */
describe('contact table module on the database', () => {
  let ctx: ContactsTestContext;

  // A service with its own database and bus names takes a while to start on a busy machine.
  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  }, 60_000);
  afterAll(() => ctx?.close(), 60_000);

  const viaPrisma = (tenantId: string, id: string) =>
    ctx.prisma.contact.findFirst({
      where: { id, tenantId, erasedAt: null },
      include: { emails: { orderBy: { position: 'asc' } }, phones: { orderBy: { position: 'asc' } } },
      // The merge link is erasure's business, the email and phone lists are what the child rows below are, and the contract JSON is what
      // lists hand on (tested below): ContactRow leaves them out.
      omit: { mergedIntoId: true, emailList: true, phoneList: true, contractJson: true },
    });
  const inRequestContext = <T>(run: () => Promise<T>) => ctx.service.app.get(ClsService).run(run);

  it('reads a contact with the same fields, values and types as the Prisma model', async () => {
    const actor = ctx.newActor();
    const company = await ctx.newCompany(actor);
    const created = await ctx.newContact(actor, {
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [
        { address: 'grace@navy.example', label: 'work' },
        { address: 'g@home.example', primary: true },
      ],
      phones: [{ number: '+1 202 555 0100' }],
      addresses: [{ city: 'Arlington', country: 'US' }],
      companyId: company.id,
      tags: ['vip', 'cobol'],
      lifecycleStage: 'customer',
    });
    const repository = ctx.service.app.get(ContactRepository);
    const read = await inRequestContext(() => repository.find(actor.tenantId, created.id));
    expect(read).toStrictEqual(await viaPrisma(actor.tenantId, created.id));
    expect(read?.createdAt).toBeInstanceOf(Date);
    expect(read?.emails.map((e) => e.address)).toEqual(['grace@navy.example', 'g@home.example']);
  });

  it('a create answers exactly the contact a read then finds (the answer is built before the one-statement write)', async () => {
    const actor = ctx.newActor();
    const company = await ctx.newCompany(actor);
    const created = await ctx.newContact(actor, {
      firstName: 'Katherine',
      lastName: 'Johnson',
      title: 'Mathematician',
      emails: [
        { address: 'KJ@nasa.example', label: 'work' },
        { address: 'kj@home.example', primary: true },
      ],
      phones: [{ number: '+1 757 555 0100', label: 'desk' }, { number: '757-555-0101' }],
      addresses: [{ city: 'Hampton', country: 'US' }],
      companyId: company.id,
      tags: ['orbital'],
    });
    expect(await ctx.call(getContact, { id: created.id }, actor)).toStrictEqual({ ...created, lastPurchaseAt: null, lifetimeValue: [] });
    const repository = ctx.service.app.get(ContactRepository);
    const stored = await inRequestContext(() => repository.find(actor.tenantId, created.id));
    expect(stored).toStrictEqual(await viaPrisma(actor.tenantId, created.id));
  });

  it('a list page carries each contact as the JSON toContact makes of it, written by Postgres (lists and searches alike)', async () => {
    const actor = ctx.newActor();
    const company = await ctx.newCompany(actor);
    const database = ctx.service.app.get(Database);
    const repository = ctx.service.app.get(ContactRepository);
    const full = await ctx.newContact(actor, {
      firstName: 'Zoë "Z" \\ O\'Brien',
      lastName: 'Quote\ttab',
      title: 'Ünïcode ☃',
      emails: [
        { address: 'zoe@work.example', label: 'work' },
        { address: 'zoe@home.example', primary: true },
      ],
      phones: [{ number: '+44 20 7946 0958', label: 'desk' }, { number: '020 7946 0959' }],
      addresses: [{ street: '1 "The" Street', city: 'London', country: 'GB' }],
      companyId: company.id,
      tags: ['vip', 'a,b'],
      lifecycleStage: 'customer',
    });
    const bare = await ctx.newContact(actor, { firstName: 'Bare' });
    const deleted = await ctx.newContact(actor, { firstName: 'Gone', lastName: 'Zoë' });
    // Values a write through the API does not make here: custom fields of every kind of value, an older update, a deletion (within the restore window).
    await database
      .updateTable('contact')
      .set({
        custom_fields: JSON.stringify({ size: 1.5, count: 120, code: 'x"y\\z', on: true, none: null }),
        updated_at: new Date('2026-01-02T03:04:05.678Z'),
      })
      .where('id', '=', bare.id)
      .execute();
    await database
      .updateTable('contact')
      .set({ deleted_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', deleted.id)
      .execute();

    const expected = async (id: string) => toContact((await inRequestContext(() => repository.find(actor.tenantId, id)))!);
    const sort = sortSpec('-updatedAt', CONTACT_SORT_COLUMNS);
    const listed = await inRequestContext(() => repository.list(actor.tenantId, { filter: { includeDeleted: true }, terms: [], sort, limit: 25 }));
    expect(listed.map((row) => row.id).sort()).toEqual([full.id, bare.id, deleted.id].sort());
    for (const row of listed) {
      const contact = JSON.parse(row.json) as unknown;
      expect(contact).toStrictEqual(await expected(row.id));
      // What the reply's contract would have let through, field for field (no extra keys, none missing).
      expect(listContacts.response.parse({ data: [contact], nextCursor: null }).data[0]).toStrictEqual(contact);
    }
    // The searches' two statements (exact words in id order; ranked with typos) write the same JSON.
    for (const q of ['zoë', 'zoee']) {
      const found = await inRequestContext(() => repository.list(actor.tenantId, { filter: { includeDeleted: true }, terms: searchTerms(q), sort, limit: 25 }));
      expect(found.map((row) => row.id).sort()).toEqual([full.id, deleted.id].sort());
      for (const row of found) expect(JSON.parse(row.json)).toStrictEqual(await expected(row.id));
    }
  });

  it('the stored contract JSON follows every write through the service: update, delete, restore, merge', async () => {
    const actor = ctx.newActor();
    const repository = ctx.service.app.get(ContactRepository);
    const stored = async (id: string) => {
      const [row] = await ctx.service.app.get(Database).selectFrom('contact').select('contract_json').where('id', '=', id).execute();
      return JSON.parse(row.contract_json) as unknown;
    };
    const asRead = async (id: string) => toContact((await inRequestContext(() => repository.find(actor.tenantId, id)))!);
    const survivor = await ctx.newContact(actor, { firstName: 'Ada', emails: [{ address: 'ada@one.example' }], tags: ['a'] });
    const merged = await ctx.newContact(actor, { firstName: 'Ada L', phones: [{ number: '+44 20 7946 0000', label: 'desk' }], tags: ['b'] });
    expect(await stored(survivor.id)).toStrictEqual(survivor);

    const updated = await ctx.call(
      updateContactCommand,
      { id: survivor.id, patch: { lastName: 'Lovelace', emails: [{ address: 'ada@two.example', label: 'home' }] } },
      actor,
    );
    expect(await stored(survivor.id)).toStrictEqual(updated);
    const deleted = await ctx.call(deleteContact, { id: survivor.id }, actor);
    expect(deleted.deletedAt).toEqual(expect.any(String));
    expect(await stored(survivor.id)).toStrictEqual(deleted);
    const restored = await ctx.call(restoreContact, { id: survivor.id }, actor);
    expect(await stored(survivor.id)).toStrictEqual(restored);
    const afterMerge = await ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id }, actor);
    expect(afterMerge.phones).toHaveLength(1);
    expect(await stored(survivor.id)).toStrictEqual(afterMerge);
    // The merged one is soft-deleted by the merge, in the same statement's trigger.
    expect(await stored(merged.id)).toStrictEqual(await asRead(merged.id));
    expect(await stored(merged.id)).toMatchObject({ deletedAt: expect.any(String) });
  });

  it("a contact's detail is the JSON toContact makes of it with its purchase summary, written by Postgres, with its version beside it", async () => {
    const actor = ctx.newActor();
    const repository = ctx.service.app.get(ContactRepository);
    const sales = new SalesEvents(actor.tenantId);
    const buyer = await ctx.newContact(actor, { firstName: 'Zoë "Z"', emails: [{ address: 'zoe@work.example', label: 'work' }], tags: ['vip'] });
    const none = await ctx.newContact(actor, { firstName: 'Bare' });
    const latest = orderOf(buyer.id, { totalMinor: 2500, purchasedAt: '2026-03-04T05:06:07.891Z' });
    const cancelled = orderOf(buyer.id, { totalMinor: 9900, purchasedAt: '2026-05-01T00:00:00.000Z' });
    await ctx.deliver(
      sales.recorded(orderOf(buyer.id, { totalMinor: 1000, purchasedAt: '2026-01-02T03:04:05.678Z' })),
      sales.recorded(latest),
      sales.recorded(orderOf(buyer.id, { totalMinor: 700, currency: 'USD', purchasedAt: '2026-02-01T00:00:00.000Z' })),
      sales.recorded(cancelled),
      sales.statusChanged(cancelled, 'cancelled').envelope,
    );
    const expected = {
      [buyer.id]: {
        lastPurchaseAt: latest.purchasedAt,
        lifetimeValue: [
          { currency: 'EUR', amountMinor: 3500 },
          { currency: 'USD', amountMinor: 700 },
        ],
      },
      [none.id]: { lastPurchaseAt: null, lifetimeValue: [] },
    };
    for (const id of [buyer.id, none.id]) {
      const row = await inRequestContext(() => repository.find(actor.tenantId, id));
      const detail = await inRequestContext(() => repository.findDetail(actor.tenantId, id));
      if (!row || !detail) throw new Error(`contact ${id} not read`);
      const json = JSON.parse(detail.json) as unknown;
      expect(json).toStrictEqual({ ...toContact(row), ...expected[id] });
      expect(getContact.response.parse(json)).toStrictEqual(json);
      expect(detail).toMatchObject({ version: row.version, deletedAt: row.deletedAt });
    }
    expect(await inRequestContext(() => repository.findDetail(ctx.newActor().tenantId, buyer.id))).toBeNull();
  });

  it("inside a transaction, sees the transaction's own uncommitted writes; another tenant sees nothing", async () => {
    const actor = ctx.newActor();
    const created = await ctx.newContact(actor, { firstName: 'Alan', lastName: 'Turing' });
    const repository = ctx.service.app.get(ContactRepository);
    const txHost: TransactionHost<TransactionalAdapterPg> = ctx.service.app.get(TransactionHost);
    const database = ctx.service.app.get(Database);
    const rollback = new Error('roll back');
    let seenInside: unknown;
    await expect(
      inRequestContext(() =>
        txHost.withTransaction(async () => {
          await database.updateTable('contact').set({ first_name: 'Uncommitted' }).where('id', '=', created.id).execute();
          seenInside = await repository.find(actor.tenantId, created.id);
          throw rollback;
        }),
      ),
    ).rejects.toBe(rollback);
    expect(seenInside).toMatchObject({ firstName: 'Uncommitted' });
    expect(await inRequestContext(() => repository.find(actor.tenantId, created.id))).toMatchObject({ firstName: 'Alan' });
    expect(await inRequestContext(() => repository.find(ctx.newActor().tenantId, created.id))).toBeNull();
  });
});
