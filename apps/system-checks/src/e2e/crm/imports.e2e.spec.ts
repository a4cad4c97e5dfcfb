import { Json, summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** Bulk imports: records in request order next to the caller's own keys, then past interactions. */
describe('imports (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;

  beforeAll(async () => {
    fixture = new CrmFixture(api, await signUpTenant(api, run, 'imports'));
    await fixture.companies();
  });

  it('an import: records in request order next to the caller’s own keys, then a past interaction', async () => {
    const { globex } = fixture;
    const token = fixture.tenant.token;
    const imported = await api.post(
      '/api/v1/imports/contacts',
      {
        contacts: [
          { externalId: 'row-1', firstName: 'Kai', lastName: 'Kowalczyk', tags: ['imported'], lifecycleStage: 'customer' },
          { externalId: 'row-2', firstName: 'Lena', lastName: 'Lindqvist', tags: ['imported'], companyId: globex.id },
        ],
      },
      token,
    );
    expect(summary(imported)).toMatchObject({
      status: 201,
      body: {
        created: [
          { externalId: 'row-1', id: expect.any(String) },
          { externalId: 'row-2', id: expect.any(String) },
        ],
      },
    });
    const [kai, lena] = imported.body.created.map((c: Json) => c.id);
    expect(ids(await contactsOf(api, token).list('tag=imported&sort=lastName'))).toEqual([kai, lena]);
    expect((await api.get(`/api/v1/contacts/${lena}`, token)).body).toMatchObject({ companyId: globex.id, lifecycleStage: 'lead' });
    const loggedInBulk = await api.post(
      '/api/v1/imports/interactions',
      { interactions: [{ contactId: kai, channel: 'email', subject: 'Imported thread' }] },
      token,
    );
    expect(summary(loggedInBulk)).toMatchObject({
      status: 201,
      body: { created: 1 },
    });
    expect((await api.get(`/api/v1/contacts/${kai}/interactions`, token)).body.data).toEqual([
      expect.objectContaining({ channel: 'email', subject: 'Imported thread' }),
    ]);
  });
});
