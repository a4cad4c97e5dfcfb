import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { ClsService } from 'nestjs-cls';
import { getContact } from '@crm/contracts';
import { PrismaService } from '../infrastructure/database/prisma.service';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { ContactRepository } from './contact.repository';

jest.setTimeout(60_000);

/** The hot read bypasses Prisma's query engine: it must still give exactly what Prisma would. */
describe('contact prepared statements', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  const viaPrisma = (tenantId: string, id: string) =>
    ctx.service.app.get(PrismaService).contact.findFirst({
      where: { id, tenantId, erasedAt: null },
      include: { emails: { orderBy: { position: 'asc' } }, phones: { orderBy: { position: 'asc' } } },
      // The merge link is erasure's business, and the email and phone lists are what the child rows below are: ContactRow leaves them out.
      omit: { mergedIntoId: true, emailList: true, phoneList: true },
    });
  const inRequestContext = <T>(run: () => Promise<T>) => ctx.service.app.get(ClsService).run(run);

  it('reads a contact with the same fields, values and types as the Prisma model', async () => {
    const actor = ctx.newActor();
    const company = await ctx.newCompany(actor);
    const created = await ctx.newContact(actor, {
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ address: 'grace@navy.example', label: 'work' }, { address: 'g@home.example', primary: true }],
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
      emails: [{ address: 'KJ@nasa.example', label: 'work' }, { address: 'kj@home.example', primary: true }],
      phones: [{ number: '+1 757 555 0100', label: 'desk' }, { number: '757-555-0101' }],
      addresses: [{ city: 'Hampton', country: 'US' }],
      companyId: company.id,
      tags: ['orbital'],
    });
    expect(await ctx.call(getContact, { id: created.id }, actor)).toStrictEqual(created);
    const repository = ctx.service.app.get(ContactRepository);
    const stored = await inRequestContext(() => repository.find(actor.tenantId, created.id));
    expect(stored).toStrictEqual(await viaPrisma(actor.tenantId, created.id));
  });

  it("inside a transaction, sees the transaction's own uncommitted writes; another tenant sees nothing", async () => {
    const actor = ctx.newActor();
    const created = await ctx.newContact(actor, { firstName: 'Alan', lastName: 'Turing' });
    const repository = ctx.service.app.get(ContactRepository);
    const txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>> = ctx.service.app.get(TransactionHost);
    const rollback = new Error('roll back');
    let seenInside: unknown;
    await expect(
      inRequestContext(() =>
        txHost.withTransaction(async () => {
          await txHost.tx.contact.update({ where: { id: created.id }, data: { firstName: 'Uncommitted' } });
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
