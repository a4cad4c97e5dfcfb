import { summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant, Tenant } from './support/crm-api';

/** Idempotency-Key: a retried create gets the first answer again. */
describe('idempotent retries (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'idempotency');
  });

  it('a retried create with the same Idempotency-Key gets the first answer again, not a second contact', async () => {
    // A client retrying a create (say after a timeout) with the same key gets the first answer
    // again, not a second contact (nor a 409: the retry never reaches the contacts service).
    const ivy = { firstName: 'Ivy', lastName: 'Idemura', emails: [{ address: 'ivy.idemura@example.test' }], lifecycleStage: 'churned' };
    const key = { 'idempotency-key': `create-ivy-${run}` };
    const first = await api.post('/api/v1/contacts', ivy, A.token, key);
    expect(summary(first)).toMatchObject({
      status: 201,
      body: { firstName: 'Ivy' },
    });
    const retry = await api.post('/api/v1/contacts', ivy, A.token, key);
    expect(summary(retry)).toMatchObject({
      status: 201,
      body: { id: first.body.id },
    });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(ids(await contactsOf(api, A.token).list('q=Idemura'))).toEqual([first.body.id]);
  });
});
