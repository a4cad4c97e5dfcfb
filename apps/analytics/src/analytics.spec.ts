import { randomUUID } from 'node:crypto';
import {
  Actor,
  Company,
  companyCreated,
  companyDeleted,
  companyRestored,
  Contact,
  contactCreated,
  contactDeleted,
  contactErased,
  contactMerged,
  contactRestored,
  contactUpdated,
  EventEnvelope,
  getAnalyticsSummary,
  InteractionChannel,
  interactionLogged,
  LifecycleStage,
  rebuildAnalyticsReadModels,
} from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { ClsService } from 'nestjs-cls';
import { RebuildReadModelsService } from './rebuild/rebuild-read-models.service';
import { testEnvelope } from '@crm/testing';
import { AnalyticsTestContext } from './testing/analytics-test-context';

const DAY_MS = 24 * 3600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/** What the contacts service puts in its events; the personal data is what erasure must remove. */
function contactOf(id: string, version: number, lifecycleStage: LifecycleStage, companyId: string | null = null): Contact {
  const at = new Date().toISOString();
  return {
    id,
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: 'Countess',
    emails: [{ address: 'ada@example.com', primary: true }],
    phones: [{ number: '+44 20 7946 0000', primary: true }],
    addresses: [{ city: 'London' }],
    companyId,
    ownerId: null,
    tags: ['vip'],
    lifecycleStage,
    customFields: { note: 'likes engines' },
    version,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}
// Whole values only: an id is hex, so a bare run of digits ("7946") turns up in a random UUID now and then.
const PERSONAL = /Ada|Lovelace|Countess|ada@example|7946 0000|London|vip|engines|secret plans/;

function companyOf(id: string, version: number): Company {
  const at = new Date().toISOString();
  return {
    id,
    name: 'Analytical Engines Ltd',
    domain: null,
    industry: null,
    phones: [],
    addresses: [],
    ownerId: null,
    tags: [],
    customFields: {},
    version,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

/** Builds one tenant's events the way the contacts service publishes them. */
class TenantEvents {
  readonly tenantId = randomUUID();
  readonly actor: Actor = { tenantId: this.tenantId, userId: randomUUID(), roles: ['admin'] };

  created(id: string, version: number, stage: LifecycleStage, companyId: string | null = null) {
    return testEnvelope(contactCreated, { contact: contactOf(id, version, stage, companyId) }, this.meta(id, version));
  }
  updated(id: string, version: number, stage: LifecycleStage) {
    return testEnvelope(contactUpdated, { contact: contactOf(id, version, stage), changed: ['lifecycleStage'] }, this.meta(id, version));
  }
  restored(id: string, version: number, stage: LifecycleStage) {
    return testEnvelope(contactRestored, { contact: contactOf(id, version, stage) }, this.meta(id, version));
  }
  deleted(id: string, version: number) {
    return testEnvelope(contactDeleted, { contactId: id, deletedAt: new Date().toISOString() }, this.meta(id, version));
  }
  erased(id: string, version: number) {
    return testEnvelope(contactErased, { contactId: id, erasedAt: new Date().toISOString() }, this.meta(id, version));
  }
  merged(survivorId: string, version: number, stage: LifecycleStage, mergedId: string) {
    return testEnvelope(contactMerged, { contact: contactOf(survivorId, version, stage), mergedId }, this.meta(survivorId, version));
  }
  company(id: string, version = 1) {
    return testEnvelope(companyCreated, { company: companyOf(id, version) }, this.meta(id, version));
  }
  companyRestored(id: string, version: number) {
    return testEnvelope(companyRestored, { company: companyOf(id, version) }, this.meta(id, version));
  }
  companyDeleted(id: string, version: number) {
    return testEnvelope(companyDeleted, { companyId: id, deletedAt: new Date().toISOString() }, this.meta(id, version));
  }
  interaction(contactId: string, channel: InteractionChannel, occurredAt = new Date(), id = randomUUID()) {
    const interaction = {
      id,
      contactId,
      channel,
      direction: 'outbound' as const,
      subject: 'secret plans',
      occurredAt: occurredAt.toISOString(),
      loggedBy: randomUUID(),
      createdAt: new Date().toISOString(),
    };
    return testEnvelope(interactionLogged, { interaction }, { tenantId: this.tenantId, subject: id, version: 1 });
  }
  private meta(subject: string, version: number) {
    return { tenantId: this.tenantId, subject, version };
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const emptyStages = { lead: 0, prospect: 0, customer: 0, churned: 0 };
const emptyChannels = { call: 0, email: 0, meeting: 0, chat: 0, note: 0 };

describe('analytics: contacts events into the event log, read models and the summary', () => {
  let ctx: AnalyticsTestContext;

  beforeAll(async () => {
    ctx = await AnalyticsTestContext.start();
  });

  afterAll(() => ctx?.close());

  const summary = (tenant: TenantEvents, windowDays = 30) => ctx.call(getAnalyticsSummary, { windowDays }, tenant.actor);

  /** Everything the read models hold for a tenant, in a stable order. */
  async function readModels(tenantId: string) {
    const db = ctx.prisma;
    return {
      contacts: await db.contactView.findMany({ where: { tenantId }, orderBy: { contactId: 'asc' } }),
      companies: await db.companyView.findMany({ where: { tenantId }, orderBy: { companyId: 'asc' } }),
      interactions: await db.interactionFact.findMany({ where: { tenantId }, orderBy: { interactionId: 'asc' } }),
      daily: await db.interactionDaily.findMany({ where: { tenantId }, orderBy: [{ day: 'asc' }, { channel: 'asc' }] }),
      counters: await db.tenantCounters.findUnique({ where: { tenantId } }),
    };
  }

  const contactRow = (tenantId: string, contactId: string) => ctx.prisma.contactView.findUnique({ where: { tenantId_contactId: { tenantId, contactId } } });

  it('counts active contacts by stage, companies and interactions by channel', async () => {
    const t = new TenantEvents();
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const [acme, globex] = [randomUUID(), randomUUID()];
    await ctx.deliver(
      t.company(acme),
      t.company(globex),
      t.created(a, 1, 'lead', acme),
      t.created(b, 1, 'lead'),
      t.created(c, 1, 'customer'),
      t.created(d, 1, 'churned'),
      t.interaction(a, 'call'),
      t.interaction(a, 'email'),
      t.interaction(b, 'email'),
    );
    await ctx.deliver(t.updated(b, 2, 'prospect'), t.deleted(d, 2), t.companyDeleted(globex, 2));

    const result = await summary(t);
    expect(result.contacts).toEqual({ total: 3, byLifecycleStage: { lead: 1, prospect: 1, customer: 1, churned: 0 } });
    expect(result.companies).toEqual({ total: 1 });
    expect(result.interactions).toEqual({ windowDays: 30, total: 3, byChannel: { ...emptyChannels, call: 1, email: 2 } });
    expect(Date.parse(result.asOf)).toBeGreaterThan(Date.now() - 60_000);
    expect(result.lastEventAt).not.toBeNull();
  });

  it('answers an empty summary for a tenant with no events, and refuses a call without a caller', async () => {
    const t = new TenantEvents();
    expect(await summary(t, 7)).toMatchObject({
      contacts: { total: 0, byLifecycleStage: emptyStages },
      companies: { total: 0 },
      interactions: { windowDays: 7, total: 0, byChannel: emptyChannels },
      lastEventAt: null,
    });
    await expect(ctx.call(getAnalyticsSummary, { windowDays: 30 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(ctx.call(getAnalyticsSummary, { windowDays: 0 }, t.actor)).rejects.toThrow();
  });

  it('applies an event delivered twice once', async () => {
    const t = new TenantEvents();
    const id = randomUUID();
    const created = t.created(id, 1, 'lead');
    const call = t.interaction(id, 'call');
    await ctx.deliver(created, created, call, call);
    // The same interaction again under a new event id (the publisher retried before its commit).
    await ctx.deliver({ ...call, id: randomUUID() });

    const result = await summary(t);
    expect(result.contacts.total).toBe(1);
    expect(result.interactions.total).toBe(1);
    expect(await ctx.prisma.eventLog.count({ where: { tenantId: t.tenantId, eventId: created.id } })).toBe(1);
  });

  it('ends in the state of the newest version whatever order the versions arrive in', async () => {
    const t = new TenantEvents();
    const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
    // x: update v3 before v2 (and before its creation).
    await ctx.deliver(t.updated(x, 3, 'customer'));
    await ctx.deliver(t.updated(x, 2, 'prospect'));
    await ctx.deliver(t.created(x, 1, 'lead'));
    // y: the delete (v3) before the update (v2): stays deleted.
    await ctx.deliver(t.created(y, 1, 'lead'));
    await ctx.deliver(t.deleted(y, 3));
    await ctx.deliver(t.updated(y, 2, 'customer'));
    // z: deleted, then restored with a newer version.
    await ctx.deliver(t.created(z, 1, 'lead'), t.deleted(z, 2));
    await ctx.deliver(t.restored(z, 3, 'prospect'));

    expect(await contactRow(t.tenantId, x)).toMatchObject({ version: 3, lifecycleStage: 'customer', deleted: false });
    expect(await contactRow(t.tenantId, y)).toMatchObject({ version: 3, deleted: true });
    expect((await summary(t)).contacts).toEqual({ total: 2, byLifecycleStage: { lead: 0, prospect: 1, customer: 1, churned: 0 } });
  });

  it('changes nothing when the whole stream is delivered again, with the same or new event ids', async () => {
    const t = new TenantEvents();
    const [a, b] = [randomUUID(), randomUUID()];
    const stream: EventEnvelope[] = [
      t.company(randomUUID()),
      t.created(a, 1, 'lead'),
      t.updated(a, 2, 'customer'),
      t.created(b, 1, 'prospect'),
      t.interaction(a, 'meeting'),
      t.deleted(b, 2),
    ];
    for (const envelope of stream) await ctx.deliver(envelope);
    const before = { models: await readModels(t.tenantId), summary: await summary(t) };

    await ctx.deliver(...stream);
    await ctx.deliver(...stream.map((envelope) => ({ ...envelope, id: randomUUID() })));

    expect(await readModels(t.tenantId)).toEqual(before.models);
    expect({ ...(await summary(t)), asOf: before.summary.asOf }).toEqual(before.summary);
  });

  it('erases: the contact stays gone even when older events arrive later, and no personal data stays in the log', async () => {
    const t = new TenantEvents();
    const [ada, other] = [randomUUID(), randomUUID()];
    await ctx.deliver(t.created(ada, 1, 'lead'), t.created(other, 1, 'lead'));
    await ctx.deliver(t.updated(ada, 3, 'customer'), t.interaction(ada, 'call'));
    await ctx.deliver(t.erased(ada, 4));
    // Late arrivals from before the erasure, and a replayed creation.
    await ctx.deliver(t.updated(ada, 2, 'prospect'), t.interaction(ada, 'email'));
    await ctx.deliver(t.created(ada, 1, 'lead'));

    expect(await contactRow(t.tenantId, ada)).toMatchObject({ erased: true, deleted: true, lifecycleStage: null, companyId: null, version: 4 });
    const result = await summary(t);
    expect(result.contacts).toEqual({ total: 1, byLifecycleStage: { ...emptyStages, lead: 1 } });
    // That the contact was called is no personal data: the interactions still count.
    expect(result.interactions.total).toBe(2);

    const adaRows = await ctx.prisma.eventLog.findMany({ where: { tenantId: t.tenantId, contactId: ada }, orderBy: { entityVersion: 'asc' } });
    expect(adaRows.map((r) => r.type).sort()).toEqual(
      [contactCreated, contactCreated, contactUpdated, contactUpdated, contactErased, interactionLogged, interactionLogged].map((c) => c.name).sort(),
    );
    for (const row of adaRows) expect(JSON.stringify(row.data)).not.toMatch(PERSONAL);
    // The other contact's data is untouched.
    const otherRow = await ctx.prisma.eventLog.findFirstOrThrow({ where: { tenantId: t.tenantId, contactId: other } });
    expect(JSON.stringify(otherRow.data)).toMatch(/Ada/);
  });

  it('merges: the merged contact is gone, the survivor updated and its interactions moved over', async () => {
    const t = new TenantEvents();
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await ctx.deliver(t.created(survivor, 1, 'lead'), t.created(merged, 1, 'prospect'));
    await ctx.deliver(t.interaction(merged, 'chat'), t.interaction(merged, 'note'), t.interaction(survivor, 'call'));
    await ctx.deliver(t.merged(survivor, 2, 'customer', merged));
    // An interaction of the merged contact arriving after the merge lands on the survivor too.
    await ctx.deliver(t.interaction(merged, 'email'));

    expect(await contactRow(t.tenantId, merged)).toMatchObject({ deleted: true, mergedIntoId: survivor, lifecycleStage: null });
    expect(await contactRow(t.tenantId, survivor)).toMatchObject({ version: 2, lifecycleStage: 'customer', deleted: false });
    const facts = await ctx.prisma.interactionFact.findMany({ where: { tenantId: t.tenantId } });
    expect(facts).toHaveLength(4);
    expect(new Set(facts.map((f) => f.contactId))).toEqual(new Set([survivor]));
    const result = await summary(t);
    expect(result.contacts).toEqual({ total: 1, byLifecycleStage: { ...emptyStages, customer: 1 } });
    expect(result.interactions.total).toBe(4);

    // Erasing the survivor erases what was merged into it (the same person).
    await ctx.deliver(t.erased(survivor, 3));
    expect(await contactRow(t.tenantId, merged)).toMatchObject({ erased: true });
    const rows = await ctx.prisma.eventLog.findMany({ where: { tenantId: t.tenantId, contactId: { in: [survivor, merged] } } });
    for (const row of rows) expect(JSON.stringify(row.data)).not.toMatch(PERSONAL);
  });

  it('erases a contact it knows only as merged, and one it never heard of (contacts scrubs unsent events on erasure)', async () => {
    const t = new TenantEvents();
    const [survivor, merged, unknown] = [randomUUID(), randomUUID(), randomUUID()];
    // The merged contact's own created event never arrived: contacts deleted it, unsent, with the erasure.
    await ctx.deliver(t.created(survivor, 1, 'lead'), t.interaction(merged, 'chat'));
    await ctx.deliver(t.merged(survivor, 2, 'customer', merged));
    // The contacts service publishes one erased event per erased record: the merged one first here.
    await ctx.deliver(t.erased(merged, 3), t.erased(survivor, 3), t.erased(unknown, 2));

    for (const id of [survivor, merged, unknown]) expect(await contactRow(t.tenantId, id)).toMatchObject({ erased: true, lifecycleStage: null });
    expect((await summary(t)).contacts).toEqual({ total: 0, byLifecycleStage: emptyStages });
    const rows = await ctx.prisma.eventLog.findMany({ where: { tenantId: t.tenantId } });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(JSON.stringify(row.data)).not.toMatch(PERSONAL);
    // A late event about the merged one (a redelivery from before the erasure) is logged scrubbed.
    const late = t.updated(merged, 1, 'prospect');
    await ctx.deliver(late);
    expect(JSON.stringify((await ctx.prisma.eventLog.findUniqueOrThrow({ where: { eventId: late.id } })).data)).not.toMatch(PERSONAL);
    expect((await summary(t)).contacts.total).toBe(0);
  });

  it('counts a merged contact again once it is restored after the merge', async () => {
    const t = new TenantEvents();
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await ctx.deliver(t.created(survivor, 1, 'lead'), t.created(merged, 1, 'prospect'), t.interaction(merged, 'chat'));
    await ctx.deliver(t.merged(survivor, 2, 'lead', merged));
    expect((await summary(t)).contacts.total).toBe(1);
    // Restored (version 3: the merge deleted it as version 2); its new interactions are its own again.
    await ctx.deliver(t.restored(merged, 3, 'prospect'));
    await ctx.deliver(t.interaction(merged, 'call'));

    expect(await contactRow(t.tenantId, merged)).toMatchObject({ deleted: false, mergedIntoId: null, lifecycleStage: 'prospect' });
    expect((await summary(t)).contacts).toEqual({ total: 2, byLifecycleStage: { ...emptyStages, lead: 1, prospect: 1 } });
    const facts = await ctx.prisma.interactionFact.findMany({ where: { tenantId: t.tenantId }, orderBy: { channel: 'asc' } });
    expect(facts.map((f) => [f.channel, f.contactId])).toEqual([
      ['call', merged],
      ['chat', survivor],
    ]);
  });

  it('keeps the newest version of each company and counts it once, in every arrival order', async () => {
    const t = new TenantEvents();
    // One company per order of created v1, deleted v2, restored v3; and one that stays deleted.
    const orders = permutations([1, 2, 3]);
    const companies = orders.map(() => randomUUID());
    const gone = randomUUID();
    const event = (id: string, version: number) => (version === 1 ? t.company(id, 1) : version === 2 ? t.companyDeleted(id, 2) : t.companyRestored(id, 3));
    for (const [i, order] of orders.entries()) for (const version of order) await ctx.deliver(event(companies[i], version));
    await ctx.deliver(t.companyDeleted(gone, 2));
    await ctx.deliver(t.company(gone, 1));

    const rows = await ctx.prisma.companyView.findMany({ where: { tenantId: t.tenantId } });
    expect(rows).toHaveLength(orders.length + 1);
    for (const id of companies) expect(rows.find((r) => r.companyId === id)).toMatchObject({ version: 3, deleted: false, deletedAt: null });
    expect(rows.find((r) => r.companyId === gone)).toMatchObject({ version: 2, deleted: true });
    expect((await summary(t)).companies).toEqual({ total: orders.length });
  });

  it('logs without personal data an event of a contact merged into a survivor since erased', async () => {
    const t = new TenantEvents();
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await ctx.deliver(t.created(survivor, 1, 'lead'), t.created(merged, 1, 'prospect'));
    await ctx.deliver(t.merged(survivor, 2, 'lead', merged));
    await ctx.deliver(t.erased(survivor, 3));
    // Late: the merged contact's own update and an interaction, both carrying personal data.
    const late = [t.updated(merged, 1, 'customer'), t.interaction(merged, 'call')];
    await ctx.deliver(...late);

    for (const envelope of late) {
      const row = await ctx.prisma.eventLog.findUniqueOrThrow({ where: { eventId: envelope.id } });
      expect(row.scrubbed).toBe(true);
      expect(JSON.stringify(row.data)).not.toMatch(PERSONAL);
    }
    expect(await contactRow(t.tenantId, merged)).toMatchObject({ erased: true, lifecycleStage: null });
    expect((await summary(t)).contacts.total).toBe(0);
    // The interaction still counts, under the survivor.
    const facts = await ctx.prisma.interactionFact.findMany({ where: { tenantId: t.tenantId } });
    expect(facts.map((f) => f.contactId)).toEqual([survivor]);
  });

  it('counts the interactions of the window only', async () => {
    const t = new TenantEvents();
    const id = randomUUID();
    await ctx.deliver(
      t.created(id, 1, 'lead'),
      t.interaction(id, 'call', daysAgo(0)),
      t.interaction(id, 'call', daysAgo(3)),
      t.interaction(id, 'meeting', daysAgo(10)),
      t.interaction(id, 'email', daysAgo(29)),
      t.interaction(id, 'email', daysAgo(45)),
      t.interaction(id, 'chat', daysAgo(400)),
    );
    expect((await summary(t, 7)).interactions).toEqual({ windowDays: 7, total: 2, byChannel: { ...emptyChannels, call: 2 } });
    expect((await summary(t, 30)).interactions).toEqual({ windowDays: 30, total: 4, byChannel: { ...emptyChannels, call: 2, meeting: 1, email: 1 } });
    expect((await summary(t, 365)).interactions).toEqual({ windowDays: 365, total: 5, byChannel: { ...emptyChannels, call: 2, meeting: 1, email: 2 } });
  });

  it("counts the caller's tenant only", async () => {
    const [mine, theirs] = [new TenantEvents(), new TenantEvents()];
    const shared = randomUUID(); // the same id in two tenants stays two contacts
    await ctx.deliver(mine.created(shared, 1, 'lead'), theirs.created(shared, 1, 'customer'), theirs.created(randomUUID(), 1, 'customer'));
    await ctx.deliver(theirs.interaction(shared, 'call'), theirs.company(randomUUID()), theirs.deleted(shared, 5));

    const result = await summary(mine);
    expect(result.contacts).toEqual({ total: 1, byLifecycleStage: { ...emptyStages, lead: 1 } });
    expect(result.companies.total).toBe(0);
    expect(result.interactions.total).toBe(0);
    expect((await summary(theirs)).contacts).toEqual({ total: 1, byLifecycleStage: { ...emptyStages, customer: 1 } });
  });

  it('rebuilds the read models from the log exactly as the events built them', async () => {
    const t = new TenantEvents();
    const [a, b, c, d, e] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const acme = randomUUID();
    // Out of order, merged, erased, deleted and restored: everything the projection does.
    await ctx.deliver(t.updated(a, 2, 'customer'));
    await ctx.deliver(t.created(a, 1, 'lead', acme), t.company(acme), t.created(b, 1, 'prospect'), t.created(c, 1, 'lead'));
    await ctx.deliver(t.interaction(b, 'call', daysAgo(2)), t.interaction(c, 'note', daysAgo(40)), t.created(d, 1, 'churned'));
    await ctx.deliver(t.merged(a, 3, 'customer', b), t.erased(c, 2), t.deleted(d, 2), t.created(e, 1, 'lead'));
    await ctx.deliver(t.restored(d, 3, 'lead'), t.updated(c, 1, 'lead'), t.deleted(e, 2));
    const built = await readModels(t.tenantId);
    const builtSummary = await summary(t, 60);
    expect(built.contacts).toHaveLength(5);

    // Wipe the read models by hand first: the rebuild must not depend on what is there.
    await ctx.prisma.contactView.deleteMany({ where: { tenantId: t.tenantId } });
    await ctx.prisma.tenantCounters.deleteMany({ where: { tenantId: t.tenantId } });
    expect(await ctx.call(rebuildAnalyticsReadModels, {}, t.actor)).toEqual({ tenants: 1, events: 15 });
    expect(await readModels(t.tenantId)).toEqual(built);

    // The command-line path: every tenant (another one too, whatever ran before).
    const other = new TenantEvents();
    await ctx.deliver(other.created(randomUUID(), 1, 'lead'));
    const otherBuilt = await readModels(other.tenantId);
    const service = ctx.service.app.get(RebuildReadModelsService);
    const all = await ctx.service.app.get(ClsService).run(() => service.rebuild());
    expect(all.tenants).toBeGreaterThanOrEqual(2);
    expect(await readModels(t.tenantId)).toEqual(built);
    expect(await readModels(other.tenantId)).toEqual(otherBuilt);
    expect({ ...(await summary(t, 60)), asOf: builtSummary.asOf }).toEqual(builtSummary);
  });

  it('lets only an admin rebuild', async () => {
    const t = new TenantEvents();
    const call = ctx.call(rebuildAnalyticsReadModels, {}, { ...t.actor, roles: ['sales'] });
    await expect(call).rejects.toBeInstanceOf(RemoteError);
    await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ctx.call(rebuildAnalyticsReadModels, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
