import { randomUUID } from 'node:crypto';
import {
  Company,
  Contact,
  createContact,
  deleteCompany,
  deleteContact,
  DomainError,
  getCompany,
  getContact,
  updateCompany,
  updateContact,
} from '@crm/contracts';
import { startTestResponder, TestCall } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';

/**
 * The CRM routes at the gateway: what HTTP adds to the contacts service's commands (ETag from
 * the version, If-Match to expectedVersion, 412, field names relative to the body, 404 across
 * tenants). The service is a stand-in on the bus holding records per tenant, as the real one
 * scopes them: it answers only what the caller's tenant owns.
 */
const now = () => new Date().toISOString();

function contactOf(id: string, version: number, patch: Partial<Contact> = {}): Contact {
  return {
    id,
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: null,
    emails: [],
    phones: [],
    addresses: [],
    companyId: null,
    ownerId: null,
    tags: [],
    lifecycleStage: 'lead',
    customFields: {},
    version,
    createdAt: now(),
    updatedAt: now(),
    deletedAt: null,
    ...patch,
  };
}

function companyOf(id: string, version: number, patch: Partial<Company> = {}): Company {
  return {
    id,
    name: 'Acme',
    domain: null,
    industry: null,
    phones: [],
    addresses: [],
    ownerId: null,
    tags: [],
    customFields: {},
    version,
    createdAt: now(),
    updatedAt: now(),
    deletedAt: null,
    ...patch,
  };
}

/** Records by tenant, then id; and every request the stand-in received, for what reached the bus. */
class StandInContacts {
  readonly contacts = new Map<string, Map<string, Contact>>();
  readonly companies = new Map<string, Map<string, Company>>();
  readonly received: { name: string; request: Json }[] = [];

  handlers() {
    const record = <R extends { version: number }>(store: Map<string, Map<string, R>>, call: TestCall, id: string): R => {
      const found = store.get(call.actor.tenantId)?.get(id);
      if (!found) throw new DomainError('NOT_FOUND', 'Not found.');
      return found;
    };
    const checkVersion = (current: { version: number }, expected?: number) => {
      if (expected !== undefined && expected !== current.version) throw new DomainError('PRECONDITION_FAILED', `The record is at version ${current.version}.`);
    };
    const seen = (name: string) => (request: Json) => this.received.push({ name, request });
    return {
      [getContact.name]: (request: Json, call: TestCall) => (seen(getContact.name)(request), record(this.contacts, call, request.id)),
      [updateContact.name]: (request: Json, call: TestCall) => {
        seen(updateContact.name)(request);
        const current = record(this.contacts, call, request.id);
        checkVersion(current, request.expectedVersion);
        if (request.patch.customFields?.tier === 'platinum') {
          // As the service answers a value its custom-field definitions refuse: the path in the message.
          throw new DomainError('VALIDATION_FAILED', 'Invalid custom field.', { errors: [{ field: 'patch.customFields.tier', message: 'not an option' }] });
        }
        const next = contactOf(current.id, current.version + 1, { ...current, ...request.patch, version: current.version + 1 });
        this.contacts.get(call.actor.tenantId)?.set(next.id, next);
        return next;
      },
      [deleteContact.name]: (request: Json, call: TestCall) => {
        seen(deleteContact.name)(request);
        const current = record(this.contacts, call, request.id);
        checkVersion(current, request.expectedVersion);
        return { ...current, deletedAt: now() };
      },
      [createContact.name]: (request: Json) => {
        seen(createContact.name)(request);
        throw new DomainError('VALIDATION_FAILED', 'Invalid custom field.', { errors: [{ field: 'contact.customFields.tier', message: 'not an option' }] });
      },
      [getCompany.name]: (request: Json, call: TestCall) => (seen(getCompany.name)(request), record(this.companies, call, request.id)),
      [updateCompany.name]: (request: Json, call: TestCall) => {
        seen(updateCompany.name)(request);
        const current = record(this.companies, call, request.id);
        checkVersion(current, request.expectedVersion);
        return companyOf(current.id, current.version + 1, { ...current, ...request.patch, version: current.version + 1 });
      },
      [deleteCompany.name]: (request: Json, call: TestCall) => {
        seen(deleteCompany.name)(request);
        const current = record(this.companies, call, request.id);
        checkVersion(current, request.expectedVersion);
        return { ...current, deletedAt: now() };
      },
    };
  }

  add<R extends { id: string }>(store: Map<string, Map<string, R>>, tenantId: string, value: R): R {
    if (!store.has(tenantId)) store.set(tenantId, new Map());
    store.get(tenantId)?.set(value.id, value);
    return value;
  }
}

describe('CRM routes at the gateway (contacts service stood in on the bus)', () => {
  const service = new StandInContacts();
  let ctx: GatewayTestContext;
  let responder: { close(): Promise<void> };
  let owner: SignedUp;
  let stranger: SignedUp;

  beforeAll(async () => {
    // The context's own bus prefix: its close() deletes what the stand-in declared too.
    ctx = await GatewayTestContext.start();
    responder = await startTestResponder({ service: 'contacts', busPrefix: ctx.config.BUS_NAME_PREFIX, handlers: service.handlers() });
    owner = await ctx.signup();
    stranger = await ctx.signup();
  });

  afterAll(async () => {
    await responder?.close();
    await ctx?.close();
  });

  /** A contact of the owner's at `version`. */
  const ownersContact = (version = 3) => service.add(service.contacts, owner.tenant.id, contactOf(randomUUID(), version));
  const ownersCompany = (version = 3) => service.add(service.companies, owner.tenant.id, companyOf(randomUUID(), version));
  const lastReceived = (name: string) => service.received.filter((r) => r.name === name).at(-1)?.request;

  it('GET answers the version as a strong ETag', async () => {
    const contact = ownersContact(3);
    const response = await ctx.get(`/api/v1/contacts/${contact.id}`, owner.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"3"');
    const company = ownersCompany(5);
    const companyResponse = await ctx.get(`/api/v1/companies/${company.id}`, owner.accessToken);
    expect({ status: companyResponse.status, etag: companyResponse.headers.get('etag') }).toEqual({ status: 200, etag: '"5"' });
  });

  it('GET answers the ETag for a service of the previous release too (its replies carry no version beside the data)', async () => {
    await responder.close();
    responder = await startTestResponder({ service: 'contacts', busPrefix: ctx.config.BUS_NAME_PREFIX, handlers: service.handlers(), previousRelease: true });
    try {
      const contact = ownersContact(7);
      const response = await ctx.get(`/api/v1/contacts/${contact.id}`, owner.accessToken);
      expect({ status: response.status, etag: response.headers.get('etag'), id: ((await response.json()) as Json)['id'] }).toEqual({
        status: 200,
        etag: '"7"',
        id: contact.id,
      });
    } finally {
      await responder.close();
      responder = await startTestResponder({ service: 'contacts', busPrefix: ctx.config.BUS_NAME_PREFIX, handlers: service.handlers() });
    }
  });

  it('PATCH with the current If-Match sends it as expectedVersion and answers the next ETag', async () => {
    const contact = ownersContact(3);
    const response = await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'Countess' }, owner.accessToken, { 'if-match': '"3"' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"4"');
    expect(lastReceived(updateContact.name)).toMatchObject({ id: contact.id, expectedVersion: 3, patch: { title: 'Countess' } });
    // W/ (a weak ETag a proxy may have made of it) names the same version.
    const weak = await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'Analyst' }, owner.accessToken, { 'if-match': 'W/"4"' });
    expect(weak.status).toBe(200);
    expect(lastReceived(updateContact.name)).toMatchObject({ expectedVersion: 4 });
  });

  it('PATCH or DELETE with a stale If-Match: 412 problem, the record unchanged', async () => {
    const contact = ownersContact(3);
    await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'Stale' }, owner.accessToken, { 'if-match': '"2"' }), 412);
    await expectProblem(await ctx.delete(`/api/v1/contacts/${contact.id}`, owner.accessToken, { 'if-match': '"2"' }), 412);
    const company = ownersCompany(3);
    await expectProblem(await ctx.patch(`/api/v1/companies/${company.id}`, { name: 'Stale' }, owner.accessToken, { 'if-match': '"1"' }), 412);
    await expectProblem(await ctx.delete(`/api/v1/companies/${company.id}`, owner.accessToken, { 'if-match': '"1"' }), 412);
    expect(service.contacts.get(owner.tenant.id)?.get(contact.id)).toMatchObject({ version: 3, title: null, deletedAt: null });
  });

  it('If-Match "0" is stale without a bus call; a malformed one is a 400 naming If-Match', async () => {
    const contact = ownersContact(1);
    const before = service.received.length;
    await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'x' }, owner.accessToken, { 'if-match': '"0"' }), 412);
    const malformed = await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'x' }, owner.accessToken, { 'if-match': 'seven' }), 400);
    expect(malformed.errors.map((e: Json) => e.field)).toEqual(['If-Match']);
    expect(service.received.length).toBe(before);
  });

  it("another tenant's record is a 404 on read, update and delete: the service never sees it as theirs", async () => {
    const contact = ownersContact(2);
    const company = ownersCompany(2);
    const token = stranger.accessToken;
    await expectProblem(await ctx.get(`/api/v1/contacts/${contact.id}`, token), 404);
    await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { title: 'Spy' }, token, { 'if-match': '"2"' }), 404);
    await expectProblem(await ctx.delete(`/api/v1/contacts/${contact.id}`, token), 404);
    await expectProblem(await ctx.get(`/api/v1/companies/${company.id}`, token), 404);
    await expectProblem(await ctx.patch(`/api/v1/companies/${company.id}`, { name: 'Mine' }, token), 404);
    expect(service.contacts.get(owner.tenant.id)?.get(contact.id)).toMatchObject({ version: 2, title: null });
  });

  it('names invalid fields by their path in the body, whether the gateway or the service refuses them', async () => {
    const contact = ownersContact(1);
    // Refused by the gateway's own validation.
    const atGateway = await expectProblem(
      await ctx.post('/api/v1/contacts', { firstName: 'Eve', emails: [{ address: 'not-an-email' }] }, owner.accessToken),
      400,
    );
    expect(atGateway.errors.map((e: Json) => e.field)).toEqual(['emails.0.address']);
    const patched = await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { lifecycleStage: 'zombie' }, owner.accessToken), 400);
    expect(patched.errors.map((e: Json) => e.field)).toEqual(['lifecycleStage']);
    // Refused by the service, which names the field by its path in the message (`contact.…`, `patch.…`).
    const created = await expectProblem(await ctx.post('/api/v1/contacts', { firstName: 'Eve', customFields: { tier: 'platinum' } }, owner.accessToken), 400);
    expect(created.errors.map((e: Json) => e.field)).toEqual(['customFields.tier']);
    const updated = await expectProblem(await ctx.patch(`/api/v1/contacts/${contact.id}`, { customFields: { tier: 'platinum' } }, owner.accessToken), 400);
    expect(updated.errors.map((e: Json) => e.field)).toEqual(['customFields.tier']);
  });
});
