import { insertRecords } from '@crm/service-kit';
import { ClsService } from 'nestjs-cls';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { insertedInteraction, INTERACTION_PROJECTION, INTERACTION_RECORD_COLUMNS, interactionRecord, InteractionWrite } from './interaction.table';

/** The interaction table module against the real table: what it writes is what it and Prisma read back. */
describe('interaction table module', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  const write = (contactId: string): InteractionWrite => ({
    contactId,
    channel: 'call',
    direction: 'inbound',
    subject: 'Renewal',
    body: 'Wants two more seats',
    occurredAt: new Date('2026-11-30T09:15:00.123Z'),
    loggedBy: 'user-1',
  });

  it('a record sets exactly the columns it declares (none silently NULL, none dropped)', () => {
    expect(Object.keys(interactionRecord('t1', write('c1'), new Date())).sort()).toEqual(Object.keys(INTERACTION_RECORD_COLUMNS).sort());
  });

  it('inserts a record that the projection, the import answer and Prisma all read the same', async () => {
    const actor = ctx.newActor();
    const contact = await ctx.newContact(actor);
    const record = interactionRecord(actor.tenantId, write(contact.id), new Date());
    const db = ctx.service.app.get(Database);
    const returned = await ctx.service.app
      .get(ClsService)
      .run(() =>
        insertRecords<DB, 'interaction'>(db, 'interaction', INTERACTION_RECORD_COLUMNS, [record]).returning(INTERACTION_PROJECTION).executeTakeFirstOrThrow(),
      );
    expect(returned).toStrictEqual(insertedInteraction(record));
    expect(returned).toStrictEqual(await ctx.prisma.interaction.findUniqueOrThrow({ where: { id: record.id } }));
  });
});
