import { ClsService } from 'nestjs-cls';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { CUSTOM_FIELD_PROJECTION } from './custom-field.table';

/** The custom field table module's projection reads a definition exactly as Prisma does (the writes are Prisma's). */
describe('custom field table module', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('projects every field of the Prisma model, with the same names, values and types', async () => {
    const tenantId = ctx.newActor().tenantId;
    const created = await ctx.prisma.customFieldDefinition.create({
      data: { tenantId, entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'], required: true },
    });
    const db = ctx.service.app.get(Database);
    const read = await ctx.service.app
      .get(ClsService)
      .run(() => db.selectFrom('custom_field_definition').select(CUSTOM_FIELD_PROJECTION).where('id', '=', created.id).executeTakeFirstOrThrow());
    expect(read).toStrictEqual(created);
  });
});
