import { Actor, createLeadForm, deleteLeadForm, leadFormCreated, leadFormDeleted, leadFormUpdated, updateLeadForm } from '@crm/contracts';
import { DealBuilders, expectRemoteError } from '../testing/deal-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe('forms', () => {
  let ctx: SalesAutomationTestContext;
  let build: DealBuilders;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new DealBuilders(ctx);
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = build.newActor();
  });

  it('publishes form.created, form.updated (the changed fields) and form.deleted through the outbox', async () => {
    const form = await build.call(createLeadForm, { form: { name: 'Contact us', allowedOrigins: ['https://www.example.com'] } }, actor);
    expect(await build.outboxEvents(leadFormCreated.name, form.id)).toEqual([expect.objectContaining({ data: { form }, entityversion: 1 })]);
    const updated = await build.call(updateLeadForm, { id: form.id, patch: { name: 'Contact us', active: false } }, actor);
    expect(await build.outboxEvents(leadFormUpdated.name, form.id)).toEqual([
      expect.objectContaining({ data: { form: updated, changed: ['active'] }, entityversion: 2 }),
    ]);
    await build.call(updateLeadForm, { id: form.id, patch: {} }, actor);
    expect(await build.outboxEvents(leadFormUpdated.name, form.id)).toHaveLength(1);
    expect(await build.call(deleteLeadForm, { id: form.id, expectedVersion: 2 }, actor)).toEqual({ id: form.id });
    expect(await build.outboxEvents(leadFormDeleted.name, form.id)).toEqual([
      expect.objectContaining({ data: { formId: form.id, deletedAt: expect.any(String) }, entityversion: 3 }),
    ]);
  });

  it('publishes nothing for a stale write', async () => {
    const form = await build.call(createLeadForm, { form: { name: 'Contact us' } }, actor);
    await expectRemoteError(build.call(deleteLeadForm, { id: form.id, expectedVersion: 2 }, actor), 'PRECONDITION_FAILED');
    expect(await build.outboxEvents(leadFormDeleted.name, form.id)).toEqual([]);
  });
});
