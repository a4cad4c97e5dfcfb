import { ClsService } from 'nestjs-cls';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext } from '../testing/contacts-test-context';
import { DATA_SUBJECT_REQUEST_PROJECTION } from './data-subject-request.table';

/** The data-subject request table module's projection reads a request exactly as Prisma does (the writes are Prisma's). */
describe('data-subject request table module', () => {
  let ctx: ContactsTestContext;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('projects every field of the Prisma model, with the same names, values and types', async () => {
    const actor = ctx.newActor();
    const created = await ctx.prisma.dataSubjectRequest.create({
      data: { tenantId: actor.tenantId, kind: 'export', contactId: '44444444-4444-4444-8444-444444444444', requestedBy: actor.userId },
    });
    const db = ctx.service.app.get(Database);
    const read = await ctx.service.app
      .get(ClsService)
      .run(() => db.selectFrom('data_subject_request').select(DATA_SUBJECT_REQUEST_PROJECTION).where('id', '=', created.id).executeTakeFirstOrThrow());
    expect(read).toStrictEqual(created);
  });
});
