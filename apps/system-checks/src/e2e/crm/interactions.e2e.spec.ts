import { Json, summary } from '../api-client';
import { ids, sharedSystem, signUpTenant } from './support/crm-api';
import { CrmFixture, timelineEntries } from './support/crm-fixtures';

/** A contact's timeline: every channel, newest first, filtered and paged. */
describe('interactions (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;

  beforeAll(async () => {
    fixture = new CrmFixture(api, await signUpTenant(api, run, 'interactions'));
    await fixture.defineTier();
    await fixture.companies();
    await fixture.margaretAtAcme();
  });

  it('timeline: a call, an email, a meeting, a chat and a note, listed newest first', async () => {
    const { margaret } = fixture;
    const token = fixture.tenant.token;
    // Logged out of time order: the list orders by when they happened.
    for (const entry of timelineEntries()) {
      const logged = await api.post(`/api/v1/contacts/${margaret.id}/interactions`, entry, token);
      expect(summary(logged)).toMatchObject({
        status: 201,
        body: { ...entry, contactId: margaret.id, id: expect.any(String) },
      });
    }

    const timeline = await api.get(`/api/v1/contacts/${margaret.id}/interactions`, token);
    expect(summary(timeline)).toMatchObject({
      status: 200,
      body: { nextCursor: null },
    });
    expect(timeline.body.data.map((i: Json) => i.channel)).toEqual(['note', 'chat', 'meeting', 'email', 'call']);

    const calls = await api.get(`/api/v1/contacts/${margaret.id}/interactions?channel=call`, token);
    expect(calls.body.data.map((i: Json) => i.subject)).toEqual(['Intro call']);

    const first = await api.get(`/api/v1/contacts/${margaret.id}/interactions?limit=2`, token);
    const second = await api.get(`/api/v1/contacts/${margaret.id}/interactions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, token);
    const third = await api.get(`/api/v1/contacts/${margaret.id}/interactions?limit=2&cursor=${encodeURIComponent(second.body.nextCursor)}`, token);
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(ids(timeline));
    expect(third.body.nextCursor).toBeNull();
  });
});
