import { Json, summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant, Tenant } from './support/crm-api';
import { batchInput, CREATION_ORDER, CrmFixture } from './support/crm-fixtures';

/** Contact lists: filters, sorts and cursors through every page. */
describe('contact lists (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let fixture: CrmFixture;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'lists');
    fixture = new CrmFixture(api, A);
    await fixture.defineTier();
    await fixture.companies();
    await fixture.margaretAtAcme();
  });

  it('lists: tag, companyId, lifecycleStage and updatedSince filters, sorting, cursor pages through everything', async () => {
    const { margaret, acme, globex } = fixture;
    const { list: contactsOfA, allPages } = contactsOf(api, A.token);
    const batch: Json[] = [];
    const created: Json[] = [];
    for (const i of CREATION_ORDER) {
      const response = await api.post('/api/v1/contacts', batchInput(i, globex.id), A.token);
      expect(summary(response)).toMatchObject({ status: 201 });
      batch[i] = response.body;
      created.push(response.body);
    }
    const batchIds = batch.map((c) => c.id);

    const byLastName = await allPages('tag=batch&sort=lastName&limit=4');
    expect(byLastName).toEqual({ ids: batchIds, pages: 3 });
    const byLastNameDesc = await allPages('tag=batch&sort=-lastName&limit=3');
    expect(byLastNameDesc).toEqual({ ids: [...batchIds].reverse(), pages: 4 });
    const newestFirst = await allPages('tag=batch&sort=-createdAt&limit=4');
    expect(newestFirst.ids).toEqual(created.map((c) => c.id).reverse());
    // The default sort too, through every page: everything once, nothing else.
    const all = await allPages('limit=3');
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect([...all.ids].sort()).toEqual([...batchIds, margaret.id].sort());

    expect(ids(await contactsOfA('tag=vip'))).toEqual([margaret.id]);
    expect(ids(await contactsOfA(`companyId=${globex.id}&sort=lastName`))).toEqual(batch.filter((_, i) => i % 2 === 0).map((c) => c.id));
    expect(ids(await contactsOfA(`companyId=${acme.id}`))).toEqual([margaret.id]);
    expect(ids(await contactsOfA('tag=batch&lifecycleStage=prospect&sort=lastName'))).toEqual(batch.filter((_, i) => i % 2 === 1).map((c) => c.id));
    expect(ids(await contactsOfA('lifecycleStage=customer'))).toEqual([margaret.id]);

    // updatedSince: only what changed after the batch was written.
    const since = new Date(Math.max(...batch.map((c) => Date.parse(c.updatedAt))) + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const promoted = await api.patch(`/api/v1/contacts/${batch[2].id}`, { lifecycleStage: 'customer' }, A.token);
    expect(summary(promoted)).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    const retagged = await api.patch(`/api/v1/contacts/${batch[7].id}`, { tags: ['batch', 'webinar'] }, A.token);
    expect(summary(retagged)).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    const changed = await contactsOfA(`updatedSince=${encodeURIComponent(since)}&sort=lastName`);
    expect(summary(changed)).toMatchObject({ status: 200 });
    expect(ids(changed)).toEqual([batch[2].id, batch[7].id]);
    expect(ids(await contactsOfA('tag=webinar'))).toEqual([batch[7].id]);
  });
});
