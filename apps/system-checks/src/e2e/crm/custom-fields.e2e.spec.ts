import { expectProblem, Json, summary } from '../api-client';
import { sharedSystem, signUpTenant, Tenant } from './support/crm-api';
import { TIER_FIELD } from './support/crm-fixtures';

/** Custom fields: defined per tenant, checked on every contact write. */
describe('custom fields (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'fields-a');
    B = await signUpTenant(api, run, 'fields-b');
  });

  it('defines a select custom field; a value outside its options is a 400 naming customFields.tier', async () => {
    const definition = TIER_FIELD;
    const defined = await api.post('/api/v1/custom-fields', definition, A.token);
    expect(summary(defined)).toMatchObject({
      status: 201,
      body: { ...definition, id: expect.any(String), version: 1 },
    });

    const listed = await api.get('/api/v1/custom-fields?entity=contact', A.token);
    expect(summary(listed)).toMatchObject({ status: 200 });
    expect(listed.body.data.map((d: Json) => d.key)).toEqual(['tier']);

    const bad = await api.post('/api/v1/contacts', { firstName: 'Pat', lastName: 'Platinum', customFields: { tier: 'platinum' } }, A.token);
    expectProblem(bad, 400, ['customFields.tier']);
    const unknown = await api.post('/api/v1/contacts', { firstName: 'Pat', lastName: 'Platinum', customFields: { shoe_size: 'xl' } }, A.token);
    expectProblem(unknown, 400, ['customFields.shoe_size']);
    // Tenant B has no such field.
    const inB = await api.post('/api/v1/contacts', { firstName: 'Pat', lastName: 'Platinum', customFields: { tier: 'gold' } }, B.token);
    expectProblem(inB, 400, ['customFields.tier']);
  });
});
