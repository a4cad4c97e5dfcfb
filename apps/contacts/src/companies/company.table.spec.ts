import { insertRecords } from '@crm/service-kit';
import { ClsService } from 'nestjs-cls';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { COMPANY_PROJECTION, COMPANY_RECORD_COLUMNS, companyChanges, companyRecord, CompanyWrite, insertedCompany } from './company.table';

/** The company table module against the real table: what it writes is what it and Prisma read back. */
describe('company table module', () => {
  let ctx: ContactsTestContext;
  let db: Database;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    db = ctx.service.app.get(Database);
  });
  afterAll(() => ctx?.close());

  const outsideTransaction = <T>(run: () => Promise<T>) => ctx.service.app.get(ClsService).run(run);
  const viaPrisma = (id: string) => ctx.prisma.company.findUniqueOrThrow({ where: { id }, omit: { purgedAt: true } });
  const write: CompanyWrite = {
    name: 'Ünited  Widgets',
    domain: 'widgets.example',
    industry: 'Manufacturing',
    phones: [{ number: '+1 555 0100', label: 'desk', primary: true }],
    addresses: [{ city: 'Springfield', country: 'US' }],
    ownerId: '33333333-3333-4333-8333-333333333333',
    tags: ['b2b', 'widgets'],
    customFields: { tier: 'gold', seats: 12 },
  };

  it('a record sets exactly the columns it declares (none silently NULL, none dropped)', () => {
    expect(Object.keys(companyRecord('t1', write, new Date())).sort()).toEqual(Object.keys(COMPANY_RECORD_COLUMNS).sort());
  });

  it('inserts a record that the projection, the import answer and Prisma all read the same', async () => {
    const record = companyRecord(ctx.newActor().tenantId, write, new Date());
    const returned = await outsideTransaction(() =>
      insertRecords<DB, 'company'>(db, 'company', COMPANY_RECORD_COLUMNS, [record]).returning(COMPANY_PROJECTION).executeTakeFirstOrThrow(),
    );
    expect(returned).toStrictEqual(insertedCompany(record));
    expect(returned).toStrictEqual(await viaPrisma(record.id));
    expect(returned).toMatchObject({ sortName: 'united widgets', phones: write.phones, tags: write.tags, customFields: write.customFields });
  });

  it('an update through companyChanges stores what a new record of the same state holds', async () => {
    const record = companyRecord(ctx.newActor().tenantId, { ...write, name: 'Before', phones: [], addresses: [], tags: [], customFields: {} }, new Date());
    await outsideTransaction(() => insertRecords<DB, 'company'>(db, 'company', COMPANY_RECORD_COLUMNS, [record]).execute());
    const updated = await outsideTransaction(() =>
      db.updateTable('company').set(companyChanges(write)).where('id', '=', record.id).returning(COMPANY_PROJECTION).executeTakeFirstOrThrow(),
    );
    const expected = insertedCompany({ ...companyRecord(record.tenant_id, write, record.created_at), id: record.id });
    expect(updated).toStrictEqual(expected);
    expect(await viaPrisma(record.id)).toStrictEqual(expected);
  });
});
