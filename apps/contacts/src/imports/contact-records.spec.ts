import { randomUUID } from 'node:crypto';
import { insertRecords } from '@crm/service-kit';
import { ClsService } from 'nestjs-cls';
import { selectContacts, type ContactWrite } from '../contacts/contact.table';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { CONTACT_RECORD_COLUMNS, newContact } from './contact-records';

/** An imported contact's record is the contact table module's, and reads back as the row the import answers with. */
describe('imported contact records', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  const write: ContactWrite = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: 'Analyst',
    emails: [{ address: 'Ada@Engine.example', label: 'work', primary: true }],
    phones: [{ number: '+44 20 7946 0000', primary: true }],
    addresses: [{ city: 'London', country: 'GB' }],
    companyId: null,
    ownerId: null,
    tags: ['math'],
    lifecycleStage: 'lead',
    customFields: { era: 'victorian' },
  };

  it('the record sets exactly the columns the batch insert declares (none silently NULL, none dropped)', () => {
    expect(Object.keys(newContact('t1', randomUUID(), write, new Date()).record).sort()).toEqual(Object.keys(CONTACT_RECORD_COLUMNS).sort());
  });

  it('inserted in a batch, reads back through the projection as the row the import answers with', async () => {
    const tenantId = ctx.newActor().tenantId;
    const contacts = [
      newContact(tenantId, randomUUID(), write, new Date()),
      newContact(tenantId, randomUUID(), { ...write, firstName: 'Charles', emails: [] }, new Date()),
    ];
    const db = ctx.service.app.get(Database);
    const read = await ctx.service.app.get(ClsService).run(async () => {
      await insertRecords<DB, 'contact'>(
        db,
        'contact',
        CONTACT_RECORD_COLUMNS,
        contacts.map((c) => c.record),
      ).execute();
      return selectContacts(db).where('c.tenant_id', '=', tenantId).orderBy('c.first_name').execute();
    });
    expect(read).toStrictEqual([contacts[0].row, contacts[1].row]);
  });
});
