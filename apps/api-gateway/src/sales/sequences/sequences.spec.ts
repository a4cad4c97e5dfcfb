import { randomUUID } from 'node:crypto';
import {
  createSequence,
  deleteSequence,
  DomainError,
  Enrolment,
  enrolContact,
  getEnrolment,
  getSequence,
  listEnrolments,
  listSequences,
  pauseEnrolment,
  resumeEnrolment,
  Sequence,
  stopEnrolment,
  updateSequence,
  validationFailed,
} from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * /api/v1/sequences and /api/v1/enrolments: one bus call each to the sales-automation service (a
 * stand-in here that keeps sequences and enrolments per tenant and answers as the service does),
 * 400 naming the field, If-Match passed on, who may design sequences and who may enrol.
 */
describe('sequences and enrolments routes', () => {
  const prefix = testBusPrefix();
  const sequences = new Map<string, Sequence & { tenantId: string }>();
  const enrolments = new Map<string, Enrolment & { tenantId: string }>();
  const calls: { name: string; request: Json }[] = [];
  let ctx: GatewayTestContext;
  let service: { close(): Promise<void> };
  let admin: SignedUp;

  const sequenceOf = (tenantId: string, id: string) => {
    const sequence = sequences.get(id);
    if (!sequence || sequence.tenantId !== tenantId) throw new DomainError('NOT_FOUND', `sequence ${id} not found.`);
    return sequence;
  };
  const enrolmentOf = (tenantId: string, id: string) => {
    const enrolment = enrolments.get(id);
    if (!enrolment || enrolment.tenantId !== tenantId) throw new DomainError('NOT_FOUND', `enrolment ${id} not found.`);
    return enrolment;
  };
  const answer = <T extends { tenantId: string }>({ tenantId: _tenant, ...record }: T) => record;
  const setStatus =
    (name: string, status: Enrolment['status']) =>
    (request: unknown, { actor }: { actor: { tenantId: string } }) => {
      calls.push({ name, request: request as Json });
      const enrolment = enrolmentOf(actor.tenantId, (request as { id: string }).id);
      Object.assign(enrolment, {
        status,
        version: enrolment.version + 1,
        ...(status === 'exited' && { exitReason: 'stopped', finishedAt: new Date().toISOString(), nextStepAt: null }),
      });
      return answer(enrolment);
    };

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    service = await startTestResponder({
      service: 'sales-automation',
      busPrefix: prefix,
      handlers: {
        [createSequence.name]: (request, { actor }) => {
          const { sequence: input } = request as { sequence: Json };
          if (input.timeZone === 'Mars/Olympus') throw validationFailed([{ path: 'sequence.timeZone', message: 'unknown time zone' }]);
          const now = new Date().toISOString();
          const sequence = { ...input, id: randomUUID(), currentVersion: 1, version: 1, createdAt: now, updatedAt: now, tenantId: actor.tenantId };
          sequences.set(sequence.id, sequence);
          return answer(sequence);
        },
        [getSequence.name]: (request, { actor }) => answer(sequenceOf(actor.tenantId, (request as { id: string }).id)),
        [listSequences.name]: (_request, { actor }) => ({
          data: [...sequences.values()].filter((s) => s.tenantId === actor.tenantId).map(answer),
          nextCursor: null,
        }),
        [updateSequence.name]: (request, { actor }) => {
          calls.push({ name: 'update', request: request as Json });
          const { id, patch } = request as { id: string; patch: Json };
          const sequence = sequenceOf(actor.tenantId, id);
          Object.assign(sequence, patch, { version: sequence.version + 1 });
          return answer(sequence);
        },
        [deleteSequence.name]: (request, { actor }) => {
          calls.push({ name: 'delete', request: request as Json });
          const { id } = request as { id: string };
          sequenceOf(actor.tenantId, id);
          sequences.delete(id);
          return { id };
        },
        [enrolContact.name]: (request, { actor }) => {
          calls.push({ name: 'enrol', request: request as Json });
          const { sequenceId, contactId } = request as { sequenceId: string; contactId: string };
          const sequence = sequenceOf(actor.tenantId, sequenceId);
          const running = [...enrolments.values()].some(
            (e) => e.sequenceId === sequenceId && e.contactId === contactId && (e.status === 'active' || e.status === 'paused'),
          );
          if (running) throw new DomainError('CONFLICT', `contact ${contactId} is already enrolled.`, { problemCode: 'ALREADY_ENROLLED' });
          const now = new Date().toISOString();
          const enrolment = {
            id: randomUUID(),
            sequenceId,
            sequenceVersion: sequence.currentVersion,
            contactId,
            status: 'active' as const,
            nextStep: 0,
            nextStepAt: now,
            source: { kind: 'manual' as const, id: actor.tenantId },
            exitReason: null,
            enrolledAt: now,
            finishedAt: null,
            version: 1,
            tenantId: actor.tenantId,
          };
          enrolments.set(enrolment.id, enrolment);
          return answer(enrolment);
        },
        [getEnrolment.name]: (request, { actor }) => ({
          ...answer(enrolmentOf(actor.tenantId, (request as { id: string }).id)),
          history: [{ index: 0, type: 'sendEmail', status: 'succeeded', detail: { messageId: '<m@x>' }, errorCode: null, at: new Date().toISOString() }],
        }),
        [listEnrolments.name]: (request, { actor }) => {
          calls.push({ name: 'list-enrolments', request: request as Json });
          const { filter } = request as { filter: { sequenceId?: string; contactId?: string; status?: string } };
          return {
            data: [...enrolments.values()]
              .filter((e) => e.tenantId === actor.tenantId)
              .filter((e) => (!filter.sequenceId || e.sequenceId === filter.sequenceId) && (!filter.contactId || e.contactId === filter.contactId))
              .filter((e) => !filter.status || e.status === filter.status)
              .map(answer),
            nextCursor: null,
          };
        },
        [pauseEnrolment.name]: setStatus('pause', 'paused'),
        [resumeEnrolment.name]: setStatus('resume', 'active'),
        [stopEnrolment.name]: setStatus('stop', 'exited'),
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await service?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const body = {
    name: 'Onboarding',
    steps: [
      { type: 'sendEmail', templateId: randomUUID() },
      { type: 'wait', days: 3 },
      { type: 'createTask', title: 'Call' },
    ],
  };
  const newSequence = async (token = admin.accessToken): Promise<Json> => {
    const created = await ctx.post('/api/v1/sequences', body, token);
    expect(created.status).toBe(201);
    return created.json();
  };
  const newUser = async (role: string) => {
    const email = `${role}-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    const created = await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken);
    expect(created.status).toBe(201);
    return ctx.login(email, password);
  };

  it('creates a sequence (201, location, ETag, defaults), reads it back and lists it for the tenant only', async () => {
    const created = await ctx.post('/api/v1/sequences', body, admin.accessToken);
    expect(created.status).toBe(201);
    const sequence = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`/api/v1/sequences/${sequence.id}`);
    expect(sequence).toMatchObject({ name: 'Onboarding', enabled: true, timeZone: 'UTC', currentVersion: 1 });
    expect(sequence.exitOn).toEqual(['unsubscribed', 'replied', 'purchased', 'dealWon']);
    expect(sequence.steps[1]).toEqual({ type: 'wait', days: 3, hours: 0, minutes: 0 });
    const read = await ctx.get(`/api/v1/sequences/${sequence.id}`, admin.accessToken);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(((await (await ctx.get('/api/v1/sequences', admin.accessToken)).json()) as Json).data.map((s: Json) => s.id)).toContain(sequence.id);
    const other = await ctx.signup();
    await expectProblem(await ctx.get(`/api/v1/sequences/${sequence.id}`, other.accessToken), 404);
    await expectProblem(await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: randomUUID() }, other.accessToken), 404);
  });

  it('answers 400 naming the field: a negative wait, an unknown exit condition, a bad contact id (gateway), an unknown time zone (service)', async () => {
    const wait = await expectProblem(await ctx.post('/api/v1/sequences', { ...body, steps: [{ type: 'wait', days: -1 }] }, admin.accessToken), 400);
    expect(wait.errors.map((e: Json) => e.field)).toContain('steps.0.days');
    const exit = await expectProblem(await ctx.post('/api/v1/sequences', { ...body, exitOn: ['bored'] }, admin.accessToken), 400);
    expect(exit.errors.map((e: Json) => e.field)).toEqual(['exitOn.0']);
    const zone = await expectProblem(await ctx.post('/api/v1/sequences', { ...body, timeZone: 'Mars/Olympus' }, admin.accessToken), 400);
    expect(zone.errors).toEqual([expect.objectContaining({ field: 'timeZone', message: 'unknown time zone' })]);
    const sequence = await newSequence();
    const contact = await expectProblem(await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: 'ada' }, admin.accessToken), 400);
    expect(contact.errors.map((e: Json) => e.field)).toEqual(['contactId']);
    const status = await expectProblem(await ctx.get('/api/v1/enrolments?status=sleeping', admin.accessToken), 400);
    expect(status.errors.map((e: Json) => e.field)).toEqual(['status']);
  });

  it('passes If-Match on update and delete (204)', async () => {
    const sequence = await newSequence();
    const updated = await ctx.patch(`/api/v1/sequences/${sequence.id}`, { name: 'Renamed', enabled: false }, admin.accessToken, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(calls.find((c) => c.name === 'update' && c.request.id === sequence.id)?.request).toEqual({
      id: sequence.id,
      expectedVersion: 1,
      patch: { name: 'Renamed', enabled: false },
    });
    const deleted = await ctx.delete(`/api/v1/sequences/${sequence.id}`, admin.accessToken, { 'if-match': '"2"' });
    expect(deleted.status).toBe(204);
    expect(calls.find((c) => c.name === 'delete' && c.request.id === sequence.id)?.request).toEqual({ id: sequence.id, expectedVersion: 2 });
    await expectProblem(await ctx.get(`/api/v1/sequences/${sequence.id}`, admin.accessToken), 404);
  });

  it('enrols a contact (201, location; 409 ALREADY_ENROLLED twice), lists, reads with history, pauses, resumes and stops with If-Match', async () => {
    const sequence = await newSequence();
    const contactId = randomUUID();
    const dealId = randomUUID();
    const enrolled = await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId, dealId }, admin.accessToken);
    expect(enrolled.status).toBe(201);
    const enrolment = (await enrolled.json()) as Json;
    expect(enrolled.headers.get('location')).toBe(`/api/v1/enrolments/${enrolment.id}`);
    expect(enrolment).toMatchObject({ sequenceId: sequence.id, contactId, status: 'active', sequenceVersion: 1 });
    expect(calls.find((c) => c.name === 'enrol' && c.request.sequenceId === sequence.id)?.request).toEqual({ sequenceId: sequence.id, contactId, dealId });
    const again = await expectProblem(await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId }, admin.accessToken), 409);
    expect(again.code).toBe('ALREADY_ENROLLED');

    const bySequence = await ctx.get(`/api/v1/sequences/${sequence.id}/enrolments?status=active&limit=10`, admin.accessToken);
    expect(bySequence.status).toBe(200);
    expect(((await bySequence.json()) as Json).data.map((e: Json) => e.id)).toEqual([enrolment.id]);
    expect(calls.filter((c) => c.name === 'list-enrolments').at(-1)?.request).toEqual({ limit: 10, filter: { sequenceId: sequence.id, status: 'active' } });
    const byContact = await ctx.get(`/api/v1/enrolments?contactId=${contactId}&status=active`, admin.accessToken);
    expect(((await byContact.json()) as Json).data.map((e: Json) => e.id)).toEqual([enrolment.id]);
    expect(calls.filter((c) => c.name === 'list-enrolments').at(-1)?.request).toEqual({ limit: 25, filter: { contactId, status: 'active' } });

    const read = await ctx.get(`/api/v1/enrolments/${enrolment.id}`, admin.accessToken);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(((await read.json()) as Json).history).toEqual([expect.objectContaining({ index: 0, type: 'sendEmail', status: 'succeeded' })]);

    const paused = await ctx.post(`/api/v1/enrolments/${enrolment.id}/pause`, undefined, admin.accessToken, { 'if-match': '"1"' });
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as Json).status).toBe('paused');
    expect(calls.find((c) => c.name === 'pause')?.request).toEqual({ id: enrolment.id, expectedVersion: 1 });
    const resumed = await ctx.post(`/api/v1/enrolments/${enrolment.id}/resume`, undefined, admin.accessToken);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as Json).status).toBe('active');
    expect(calls.find((c) => c.name === 'resume')?.request).toEqual({ id: enrolment.id });
    const stopped = await ctx.post(`/api/v1/enrolments/${enrolment.id}/stop`, undefined, admin.accessToken, { 'if-match': '"3"' });
    expect(stopped.status).toBe(200);
    expect((await stopped.json()) as Json).toMatchObject({ status: 'exited', exitReason: 'stopped' });
    expect(calls.find((c) => c.name === 'stop')?.request).toEqual({ id: enrolment.id, expectedVersion: 3 });
  });

  it('lets managers and admins design sequences, sales enrol and pause but not design, and viewers only read', async () => {
    const sequence = await newSequence();
    const viewer = await newUser('viewer');
    expect((await ctx.get('/api/v1/sequences', viewer.accessToken)).status).toBe(200);
    expect((await ctx.get('/api/v1/enrolments', viewer.accessToken)).status).toBe(200);
    await expectProblem(await ctx.post('/api/v1/sequences', body, viewer.accessToken), 403);
    await expectProblem(await ctx.patch(`/api/v1/sequences/${sequence.id}`, { name: 'x' }, viewer.accessToken), 403);
    await expectProblem(await ctx.delete(`/api/v1/sequences/${sequence.id}`, viewer.accessToken), 403);
    await expectProblem(await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: randomUUID() }, viewer.accessToken), 403);

    const sales = await newUser('sales');
    await expectProblem(await ctx.post('/api/v1/sequences', body, sales.accessToken), 403);
    await expectProblem(await ctx.patch(`/api/v1/sequences/${sequence.id}`, { name: 'x' }, sales.accessToken), 403);
    const enrolled = await ctx.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: randomUUID() }, sales.accessToken);
    expect(enrolled.status).toBe(201);
    const enrolment = (await enrolled.json()) as Json;
    await expectProblem(await ctx.post(`/api/v1/enrolments/${enrolment.id}/pause`, undefined, viewer.accessToken), 403);
    expect((await ctx.post(`/api/v1/enrolments/${enrolment.id}/pause`, undefined, sales.accessToken)).status).toBe(200);

    const manager = await newUser('manager');
    await newSequence(manager.accessToken);
  });

  it('documents every route with its operationId', async () => {
    const document = (await (await ctx.get('/docs-json')).json()) as Json;
    const operationIds = (path: string) => Object.values(document.paths[path] as Record<string, Json>).map((operation) => operation.operationId);
    expect(operationIds('/api/v1/sequences').sort()).toEqual(['createSequence', 'listSequences']);
    expect(operationIds('/api/v1/sequences/{id}').sort()).toEqual(['deleteSequence', 'getSequence', 'updateSequence']);
    expect(operationIds('/api/v1/sequences/{id}/enrolments').sort()).toEqual(['enrolContact', 'listSequenceEnrolments']);
    expect(operationIds('/api/v1/enrolments')).toEqual(['listEnrolments']);
    expect(operationIds('/api/v1/enrolments/{id}')).toEqual(['getEnrolment']);
    expect(operationIds('/api/v1/enrolments/{id}/pause')).toEqual(['pauseEnrolment']);
    expect(operationIds('/api/v1/enrolments/{id}/resume')).toEqual(['resumeEnrolment']);
    expect(operationIds('/api/v1/enrolments/{id}/stop')).toEqual(['stopEnrolment']);
    expect(document.paths['/api/v1/sequences/{id}/enrolments'].post['x-permission']).toBe('enrolments:create');
  });
});
