import { expectProblem, summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant } from './support/crm-api';
import { CrmFixture, MAGGIE } from './support/crm-fixtures';

/** Duplicates: refused by default, forced on request, merged into one contact with both timelines. */
describe('duplicates and merge (e2e)', () => {
  const { api, run } = sharedSystem();

  const lookalike = MAGGIE;

  /** Margaret (with her five interactions) in a tenant of its own. */
  async function tenantWithMargaret(label: string): Promise<CrmFixture> {
    const fixture = new CrmFixture(api, await signUpTenant(api, run, label));
    await fixture.defineTier();
    await fixture.companies();
    await fixture.margaretAtAcme();
    return fixture.margaretsTimeline();
  }

  describe('merging', () => {
    let fixture: CrmFixture;

    beforeAll(async () => {
      fixture = await tenantWithMargaret('merge');
    });

    it('duplicates: the same email is a 409 naming the candidate; merging keeps both timelines', async () => {
      const { margaret } = fixture;
      const token = fixture.tenant.token;
      const refused = await api.post('/api/v1/contacts', lookalike, token);
      expectProblem(refused, 409);
      expect(refused.body.duplicates).toEqual([expect.objectContaining({ id: margaret.id, reasons: expect.arrayContaining(['same-email']) })]);

      const forced = await api.post('/api/v1/contacts', { ...lookalike, allowDuplicates: true }, token);
      expect(summary(forced)).toMatchObject({
        status: 201,
        body: { firstName: 'Maggie' },
      });
      const duplicateId = forced.body.id;
      const ownEntries: string[] = [];
      for (const channel of ['note', 'call'] as const) {
        const logged = await api.post(`/api/v1/contacts/${duplicateId}/interactions`, { channel, subject: `Maggie ${channel}` }, token);
        expect(summary(logged)).toMatchObject({ status: 201 });
        ownEntries.push(logged.body.id);
      }
      const before = ids(await api.get(`/api/v1/contacts/${margaret.id}/interactions`, token));

      const merged = await api.post(`/api/v1/contacts/${margaret.id}/merge`, { mergedId: duplicateId }, token, { 'if-match': `"${margaret.version}"` });
      expect(summary(merged)).toMatchObject({
        status: 200,
        body: { id: margaret.id, version: margaret.version + 1, lifecycleStage: 'customer' },
      });

      const timeline = await api.get(`/api/v1/contacts/${margaret.id}/interactions?limit=100`, token);
      expect([...ids(timeline)].sort()).toEqual([...before, ...ownEntries].sort());

      // The merged contact: shown as deleted (restorable, as any deleted contact), and out of lists and search.
      const gone = await api.get(`/api/v1/contacts/${duplicateId}`, token);
      expect(summary(gone)).toMatchObject({
        status: 200,
        body: { id: duplicateId, deletedAt: expect.any(String) },
      });
      const { list } = contactsOf(api, token);
      expect(ids(await list('q=Maggie'))).not.toContain(duplicateId);
      expect(ids(await list('limit=100'))).not.toContain(duplicateId);
    });
  });

  describe('restoring a merged contact', () => {
    let fixture: CrmFixture;
    let duplicateId: string;

    beforeAll(async () => {
      fixture = await tenantWithMargaret('merge-restore');
      duplicateId = await fixture.mergeMaggie();
    });

    it('documented: a merged contact can be restored, with its own details but not the timeline it handed over', async () => {
      const token = fixture.tenant.token;
      const restored = await api.post(`/api/v1/contacts/${duplicateId}/restore`, {}, token);
      expect(summary(restored)).toMatchObject({
        status: 200,
        body: { id: duplicateId, firstName: 'Maggie', deletedAt: null },
      });
      expect(ids(await api.get(`/api/v1/contacts/${duplicateId}/interactions`, token))).toEqual([]);
      expect(ids(await api.get(`/api/v1/contacts/${fixture.margaret.id}/interactions?limit=100`, token))).toHaveLength(7);
    });
  });
});
