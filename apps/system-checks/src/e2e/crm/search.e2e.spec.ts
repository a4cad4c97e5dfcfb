import { summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** Search (?q=): forgiving of typos, across emails, phone digits and company names. */
describe('contact search (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;

  beforeAll(async () => {
    fixture = new CrmFixture(api, await signUpTenant(api, run, 'search'));
    await fixture.defineTier();
    await fixture.companies();
    await fixture.margaretAtAcme();
    await fixture.batchOfTen();
  });

  it('search (?q=): a name with a typo, an email, phone digits, a company name', async () => {
    const { margaret, batch } = fixture;
    const { list: contactsOfA, allPages } = contactsOf(api, fixture.tenant.token);
    const typo = await contactsOfA('q=Thornten');
    expect(summary(typo)).toMatchObject({ status: 200 });
    expect(ids(typo)[0]).toBe(margaret.id);
    const firstNameTypo = await contactsOfA('q=Margret');
    expect(ids(firstNameTypo)).toContain(margaret.id);

    expect(ids(await contactsOfA(`q=${encodeURIComponent('margaret.thornton@acme.example')}`))).toEqual([margaret.id]);
    expect(ids(await contactsOfA('q=5550100200'))).toEqual([margaret.id]);
    expect(ids(await contactsOfA(`q=${encodeURIComponent('555-010-0200')}`))).toEqual([margaret.id]);

    const atGlobex = await contactsOfA('q=Globex&limit=100');
    expect([...ids(atGlobex)].sort()).toEqual(
      batch
        .filter((_, i) => i % 2 === 0)
        .map((c) => c.id)
        .sort(),
    );
    // Search pages like any list: all of them, once.
    const paged = await allPages('q=Globex&limit=2');
    expect([...paged.ids].sort()).toEqual([...ids(atGlobex)].sort());
    expect(ids(await contactsOfA('q=Zzyzxquux'))).toEqual([]);
  });
});
