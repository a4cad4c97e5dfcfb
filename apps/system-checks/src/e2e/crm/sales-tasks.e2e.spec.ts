import { eventually, expectProblem, Json, summary } from '../api-client';
import { CATCH_UP_MS, created, ids, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** Tasks through the gateway: "my open tasks, overdue first", If-Match, roles, tenants, and a merged contact's tasks following the survivor. */
describe('sales tasks (e2e)', () => {
  const { api, run } = sharedSystem();
  let tenant: Tenant;
  let tenantB: Tenant;
  let viewerToken: string;

  beforeAll(async () => {
    tenant = await signUpTenant(api, run, 'sales-tasks');
    tenantB = await signUpTenant(api, run, 'sales-tasks-b');
    viewerToken = await userWithRole(api, tenant, `viewer-sales-tasks-${run}@example.test`, 'viewer');
  });

  const newTask = (body: Json, token = tenant.token) => created(api.post('/api/v1/tasks', body, token));

  it('lists my open tasks overdue first, then upcoming, then undated, following nextCursor', async () => {
    const undated = await newTask({ title: 'Send the brochure' });
    const upcoming = await newTask({ title: 'Demo', dueAt: at(24 * HOUR), reminderAt: at(23 * HOUR) });
    const overdue = await newTask({ title: 'Call back', dueAt: at(-2 * HOUR) });
    const alsoOverdue = await newTask({ title: 'Chase the invoice', dueAt: at(-HOUR) });
    const finished = await newTask({ title: 'Old one', dueAt: at(-48 * HOUR) });
    const completed = await api.post(`/api/v1/tasks/${finished.id}/complete`, {}, tenant.token);
    expect(summary(completed)).toMatchObject({ status: 200, body: { done: true, completedAt: expect.any(String) } });
    expect(undated.assigneeId).toEqual(expect.any(String));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.get(`/api/v1/tasks?assignee=me&done=false&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, tenant.token);
      expect(summary(page)).toMatchObject({ status: 200 });
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([overdue.id, alsoOverdue.id, upcoming.id, undated.id]);
  });

  it('a viewer reads but may not write (403); tenant B sees 404; a stale If-Match is 412', async () => {
    const task = await newTask({ title: 'Prepare the offer', dueAt: at(HOUR) });
    expect(summary(await api.get(`/api/v1/tasks/${task.id}`, viewerToken))).toMatchObject({ status: 200, body: { id: task.id } });
    expectProblem(await api.post('/api/v1/tasks', { title: 'not allowed' }, viewerToken), 403);
    expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, { title: 'not allowed' }, viewerToken), 403);

    expectProblem(await api.get(`/api/v1/tasks/${task.id}`, tenantB.token), 404);
    expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, { title: 'theirs' }, tenantB.token), 404);
    expect(ids(await api.get('/api/v1/tasks?limit=100', tenantB.token))).not.toContain(task.id);

    const updated = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Prepare the final offer' }, tenant.token, { 'if-match': `"${task.version}"` });
    expect(summary(updated)).toMatchObject({ status: 200, body: { title: 'Prepare the final offer', version: task.version + 1 } });
    expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, { title: 'stale' }, tenant.token, { 'if-match': `"${task.version}"` }), 412);
    expectProblem(await api.post(`/api/v1/tasks/${task.id}/complete`, {}, tenant.token, { 'if-match': `"${task.version}"` }), 412);
  });

  it('bad dates are 400 naming the field', async () => {
    expectProblem(await api.post('/api/v1/tasks', { title: 'x', dueAt: 'next tuesday' }, tenant.token), 400, ['dueAt']);
    expectProblem(await api.post('/api/v1/tasks', { title: 'x', dueAt: at(HOUR), reminderAt: at(2 * HOUR) }, tenant.token), 400, ['reminderAt']);
    const task = await newTask({ title: 'x', dueAt: at(HOUR) });
    expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, { reminderAt: at(2 * HOUR) }, tenant.token), 400, ['reminderAt']);
    expectProblem(await api.get('/api/v1/tasks?done=maybe', tenant.token), 400, ['done']);
  });

  it("merging two contacts in the contacts service moves the merged one's tasks to the survivor", async () => {
    const token = tenant.token;
    const survivor = await created(
      api.post('/api/v1/contacts', { firstName: 'Grace', lastName: 'Hopper', emails: [{ address: `grace-${run}@example.test` }] }, token),
    );
    const duplicate = await created(
      api.post(
        '/api/v1/contacts',
        { firstName: 'Grace', lastName: 'Hopper', emails: [{ address: `grace-${run}@example.test` }], allowDuplicates: true },
        token,
      ),
    );
    const task = await newTask({ title: 'Call Grace', relatedType: 'contact', relatedId: duplicate.id });

    const merged = await api.post(`/api/v1/contacts/${survivor.id}/merge`, { mergedId: duplicate.id }, token);
    expect(summary(merged)).toMatchObject({ status: 200, body: { id: survivor.id } });

    const moved = await eventually(
      () => api.get(`/api/v1/tasks/${task.id}`, token),
      (r) => r.status === 200 && r.body.relatedId === survivor.id,
      CATCH_UP_MS,
    );
    expect(summary(moved)).toMatchObject({ status: 200, body: { relatedType: 'contact', relatedId: survivor.id } });
    const survivorsTasks = await api.get(`/api/v1/tasks?relatedType=contact&relatedId=${survivor.id}`, token);
    expect(ids(survivorsTasks)).toEqual([task.id]);
  });
});
