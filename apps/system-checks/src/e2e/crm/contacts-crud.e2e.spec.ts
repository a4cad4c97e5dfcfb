import { expectProblem, Json, summary } from '../api-client';
import { contactsOf, ids, sharedSystem, signUpTenant, Tenant } from './support/crm-api';
import { CrmFixture, margaretInput } from './support/crm-fixtures';

/** Contacts: create, read with an ETag, conditional updates, soft delete and restore. */
describe('contacts CRUD (e2e)', () => {
  const { api, run } = sharedSystem();

  describe('create, read, update', () => {
    let A: Tenant;
    let fixture: CrmFixture;

    beforeAll(async () => {
      A = await signUpTenant(api, run, 'contacts-crud');
      fixture = new CrmFixture(api, A);
      await fixture.defineTier();
      await fixture.companies();
    });

    it('contacts: create with everything, read with an ETag, update with If-Match → version + 1; a stale one → 412', async () => {
      const { acme } = fixture;
      const input = margaretInput(acme.id);
      const created = await api.post('/api/v1/contacts', input, A.token);
      expect(summary(created)).toMatchObject({
        status: 201,
        body: {
          ...input,
          emails: [{ address: 'margaret.thornton@acme.example', label: 'work', primary: true }],
          phones: [{ number: '+1 (555) 010-0200', label: 'mobile', primary: true }],
          version: 1,
          deletedAt: null,
        },
      });
      expect(created.headers.get('location')).toBe(`/api/v1/contacts/${created.body.id}`);
      const margaret = created.body;

      const read = await api.get(`/api/v1/contacts/${margaret.id}`, A.token);
      expect(summary(read)).toMatchObject({
        status: 200,
        body: { id: margaret.id, customFields: { tier: 'gold' }, companyId: acme.id },
      });
      expect(read.headers.get('etag')).toBe('"1"');

      const updated = await api.patch(`/api/v1/contacts/${margaret.id}`, { lifecycleStage: 'customer', customFields: { tier: 'silver' } }, A.token, {
        'if-match': read.headers.get('etag') as string,
      });
      expect(summary(updated)).toMatchObject({
        status: 200,
        body: { lifecycleStage: 'customer', customFields: { tier: 'silver' }, version: 2 },
      });
      expect(updated.headers.get('etag')).toBe('"2"');

      const stale = await api.patch(`/api/v1/contacts/${margaret.id}`, { title: 'CEO' }, A.token, { 'if-match': '"1"' });
      expectProblem(stale, 412);
      // A version no record ever has is stale too, not a failure.
      expectProblem(await api.patch(`/api/v1/contacts/${margaret.id}`, { title: 'CEO' }, A.token, { 'if-match': '"0"' }), 412);
      const after = await api.get(`/api/v1/contacts/${margaret.id}`, A.token);
      expect(after.body).toMatchObject({ title: 'Head of Procurement', version: 2 });
    });
  });

  describe('delete and restore', () => {
    let A: Tenant;
    let batch: Json[];

    beforeAll(async () => {
      A = await signUpTenant(api, run, 'contacts-delete');
      const fixture = new CrmFixture(api, A);
      await fixture.companies();
      await fixture.batchOfTen();
      batch = fixture.batch;
    });

    it('delete: out of lists, readable as deleted (documented: restorable for 30 days), not writable; restore brings it back', async () => {
      const contactsOfA = contactsOf(api, A.token).list;
      const target = batch[1];
      const stale = await api.delete(`/api/v1/contacts/${target.id}`, A.token, { 'if-match': '"99"' });
      expectProblem(stale, 412);
      const deleted = await api.delete(`/api/v1/contacts/${target.id}`, A.token);
      expect(summary(deleted)).toMatchObject({ status: 204 });

      const read = await api.get(`/api/v1/contacts/${target.id}`, A.token);
      expect(summary(read)).toMatchObject({
        status: 200,
        body: { id: target.id, deletedAt: expect.any(String) },
      });
      expect(ids(await contactsOfA('tag=batch&limit=100'))).not.toContain(target.id);
      expect(ids(await contactsOfA('tag=batch&includeDeleted=true&limit=100'))).toContain(target.id);
      expect(ids(await contactsOfA('q=Baxter'))).toEqual([]);
      expectProblem(await api.patch(`/api/v1/contacts/${target.id}`, { title: 'Ghost' }, A.token), 404);
      expectProblem(await api.post(`/api/v1/contacts/${target.id}/interactions`, { channel: 'note' }, A.token), 404);

      const restored = await api.post(`/api/v1/contacts/${target.id}/restore`, {}, A.token);
      expect(summary(restored)).toMatchObject({
        status: 200,
        body: { id: target.id, deletedAt: null, lifecycleStage: target.lifecycleStage },
      });
      expect((await api.get(`/api/v1/contacts/${target.id}`, A.token)).body).toMatchObject({ deletedAt: null });
      expect(ids(await contactsOfA('q=Baxter'))).toEqual([target.id]);

      // And one that stays deleted.
      const removed = await api.delete(`/api/v1/contacts/${batch[3].id}`, A.token);
      expect(summary(removed)).toMatchObject({ status: 204 });
    });
  });
});
