import { summary } from '../api-client';
import { created, figuresOf, figuresOnceCaughtUp, sharedSystem, signUpTenant } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/**
 * The analytics read model follows every kind of write the contacts service makes: creates,
 * updates, a merge and the restore of the merged contact, deletes and restores of contacts and
 * companies, an idempotent retry, imports.
 */
describe('analytics (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;

  beforeAll(async () => {
    fixture = await new CrmFixture(api, await signUpTenant(api, run, 'analytics')).everything();
    const { figures, batch, globex } = fixture;
    const token = fixture.tenant.token;
    const post = (path: string, body: unknown, headers?: Record<string, string>) => created(api.post(path, body, token, headers));

    // A promotion, a delete that stays and one that is restored.
    await created(api.patch(`/api/v1/contacts/${batch[2].id}`, { lifecycleStage: 'customer' }, token), 200);
    figures.contacts.set(batch[2].id, 'customer');
    await created(api.delete(`/api/v1/contacts/${batch[3].id}`, token), 204);
    figures.contacts.delete(batch[3].id);
    await created(api.delete(`/api/v1/contacts/${batch[1].id}`, token), 204);
    await created(api.post(`/api/v1/contacts/${batch[1].id}/restore`, {}, token), 200);

    // A duplicate with two interactions, merged into Margaret, then restored: counted again, its interactions once.
    const maggieId = await fixture.mergeMaggie();
    await created(api.post(`/api/v1/contacts/${maggieId}/restore`, {}, token), 200);
    figures.contacts.set(maggieId, 'lead');

    // A create retried with the same Idempotency-Key: one contact.
    const ivy = { firstName: 'Ivy', lastName: 'Idemura', lifecycleStage: 'churned' };
    const key = { 'idempotency-key': `analytics-ivy-${run}` };
    const first = await post('/api/v1/contacts', ivy, key);
    await post('/api/v1/contacts', ivy, key);
    figures.contacts.set(first.id, 'churned');

    // A company deleted, restored and deleted again: not counted.
    const soylent = await post('/api/v1/companies', { name: 'Soylent' });
    await created(api.delete(`/api/v1/companies/${soylent.id}`, token), 204);
    await created(api.post(`/api/v1/companies/${soylent.id}/restore`, {}, token), 200);
    await created(api.delete(`/api/v1/companies/${soylent.id}`, token), 204);

    // Imports: two contacts and a past email.
    const imported = await post('/api/v1/imports/contacts', {
      contacts: [
        { externalId: 'row-1', firstName: 'Kai', lastName: 'Kowalczyk', lifecycleStage: 'customer' },
        { externalId: 'row-2', firstName: 'Lena', lastName: 'Lindqvist', companyId: globex.id },
      ],
    });
    const [kai, lena] = (imported.created as { id: string }[]).map((c) => c.id);
    figures.contacts.set(kai, 'customer');
    figures.contacts.set(lena, 'lead');
    await post('/api/v1/imports/interactions', { interactions: [{ contactId: kai, channel: 'email', subject: 'Imported thread' }] });
    figures.interactions.email += 1;
  });

  it('the analytics summary catches up: contacts by lifecycle stage, companies, interactions by channel', async () => {
    const want = fixture.figures.summary();
    const reply = await figuresOnceCaughtUp(api, fixture.tenant.token, want);
    expect(summary(reply)).toMatchObject({
      status: 200,
      body: { asOf: expect.any(String), lastEventAt: expect.any(String) },
    });
    expect(figuresOf(reply.body)).toEqual(want);
  });
});
