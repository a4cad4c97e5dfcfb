import { randomUUID } from 'node:crypto';
import {
  Actor,
  createDeal,
  Deal,
  dealHistory,
  deleteDeal,
  getDeal,
  listDeals,
  loseDeal,
  moveDeal,
  Pipeline,
  recordDealErpOrder,
  updateDeal,
  winDeal,
} from '@crm/contracts';
import { CreateDealService } from './create-deal/create-deal.service';
import { DealBuilders, expectRemoteError, failedPaths } from '../testing/deal-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe('deals', () => {
  let ctx: SalesAutomationTestContext;
  let build: DealBuilders;
  let actor: Actor;
  let pipeline: Pipeline;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new DealBuilders(ctx);
  });
  afterAll(() => ctx?.close());
  beforeEach(async () => {
    actor = build.newActor();
    pipeline = await build.newPipeline(actor);
  });

  const board = async (stageId: string, limit = 25): Promise<string[]> => {
    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await build.call(listDeals, { filter: { pipelineId: pipeline.id, stageId }, sort: 'position', limit, cursor }, actor);
      titles.push(...page.data.map((d) => d.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return titles;
  };

  it("creates a deal last in the default pipeline's first stage, with its lines' totals, a stage visit and deal.created", async () => {
    const first = await build.newDeal(actor, {
      title: 'A',
      expectedCloseDate: '2027-03-31',
      lines: [{ name: 'Seats', quantity: 3, unitPriceMinor: 1000, discountMinor: 500 }],
    });
    const second = await build.newDeal(actor, { title: 'B' });
    expect(first).toMatchObject({
      pipelineId: pipeline.id,
      stageId: pipeline.stages[0].id,
      status: 'open',
      amountMinor: 10000,
      currency: 'EUR',
      expectedCloseDate: '2027-03-31',
      lines: [{ productId: null, sku: null, name: 'Seats', quantity: 3, unitPriceMinor: 1000, discountMinor: 500, totalMinor: 2500 }],
      version: 1,
    });
    expect(second.position > first.position).toBe(true);
    expect(await build.call(getDeal, { id: first.id }, actor)).toEqual(first);
    expect(await board(pipeline.stages[0].id)).toEqual(['A', 'B']);
    expect(await build.outboxEvents('sales-automation.deal.created.v1', first.id)).toEqual([expect.objectContaining({ data: { deal: first } })]);
    const history = await build.call(dealHistory, { id: first.id }, actor);
    expect(history.data).toEqual([expect.objectContaining({ stageId: pipeline.stages[0].id, enteredAt: first.stageEnteredAt, leftAt: null })]);
  });

  it('copies the customer name from the local copies and finds deals by title or customer name', async () => {
    const contactId = randomUUID();
    const companyId = randomUUID();
    await ctx.database
      .insertInto('contact_copy')
      .values({ id: contactId, tenant_id: actor.tenantId, first_name: 'Ada', last_name: 'Lovelace', version: 1 })
      .execute();
    await ctx.database.insertInto('company_copy').values({ id: companyId, tenant_id: actor.tenantId, name: 'Analytical Engines', version: 1 }).execute();
    const deal = await build.newDeal(actor, { title: 'Engine order', contactId, companyId });
    await build.newDeal(actor, { title: 'Unrelated' });
    expect(deal.customerName).toBe('Ada Lovelace, Analytical Engines');
    for (const q of ['lovelace', 'ENGINES', 'engine order']) {
      expect((await build.call(listDeals, { filter: { q } }, actor)).data.map((d) => d.id)).toEqual([deal.id]);
    }
  });

  it('orders the board by drag position after moves before, after and between deals, across stages', async () => {
    const [s1, s2] = pipeline.stages;
    const deals: Record<string, Deal> = {};
    for (const title of ['A', 'B', 'C', 'D']) deals[title] = await build.newDeal(actor, { title });
    await build.call(moveDeal, { id: deals.D.id, stageId: s1.id, beforeId: deals.A.id }, actor);
    expect(await board(s1.id)).toEqual(['D', 'A', 'B', 'C']);
    await build.call(moveDeal, { id: deals.A.id, stageId: s1.id, afterId: deals.C.id }, actor);
    expect(await board(s1.id)).toEqual(['D', 'B', 'C', 'A']);
    await build.call(moveDeal, { id: deals.A.id, stageId: s1.id, afterId: deals.D.id, beforeId: deals.B.id }, actor);
    expect(await board(s1.id, 1)).toEqual(['D', 'A', 'B', 'C']);

    const moved = await build.call(moveDeal, { id: deals.B.id, stageId: s2.id }, actor);
    expect(moved).toMatchObject({ stageId: s2.id, version: 2 });
    await build.call(moveDeal, { id: deals.C.id, stageId: s2.id, beforeId: deals.B.id }, actor);
    expect(await board(s1.id)).toEqual(['D', 'A']);
    expect(await board(s2.id)).toEqual(['C', 'B']);
    const [event] = await build.outboxEvents('sales-automation.deal.moved.v1', deals.B.id);
    expect(event.data).toEqual({ deal: moved, fromStageId: s1.id, toStageId: s2.id });

    const history = await build.call(dealHistory, { id: deals.B.id }, actor);
    expect(history.data.map((v) => [v.stageId, v.leftAt === null])).toEqual([
      [s1.id, false],
      [s2.id, true],
    ]);
    expect(history.data[0].leftAt).toBe(history.data[1].enteredAt);
  });

  it('refuses a drop next to a deal that is not an open deal of the target stage, or between crossed neighbours', async () => {
    const [s1, s2] = pipeline.stages;
    const deals: Record<string, Deal> = {};
    for (const title of ['A', 'B', 'C']) deals[title] = await build.newDeal(actor, { title });
    const elsewhere = await build.newDeal(actor, { title: 'Elsewhere', stageId: s2.id });
    const won = await build.newDeal(actor, { title: 'Won' });
    await build.call(winDeal, { id: won.id }, actor);
    const otherTenant = build.newActor();
    await build.newPipeline(otherTenant);
    const foreign = await build.newDeal(otherTenant, { title: 'Foreign' });
    const refused = async (anchors: { afterId?: string; beforeId?: string }) =>
      failedPaths(await expectRemoteError(build.call(moveDeal, { id: deals.A.id, stageId: s1.id, ...anchors }, actor), 'VALIDATION_FAILED'));
    expect(await refused({ afterId: elsewhere.id })).toEqual(['afterId']);
    expect(await refused({ beforeId: won.id })).toEqual(['beforeId']);
    expect(await refused({ afterId: foreign.id })).toEqual(['afterId']);
    expect(await refused({ afterId: deals.B.id, beforeId: elsewhere.id })).toEqual(['beforeId']);
    expect(await refused({ afterId: deals.C.id, beforeId: deals.B.id })).toEqual(['beforeId']);
    expect(await build.call(getDeal, { id: deals.A.id }, actor)).toMatchObject({ version: 1, stageId: s1.id });
    expect(await board(s1.id)).toEqual(['A', 'B', 'C']);
  });

  it('keeps every deal in order under concurrent moves into one stage', async () => {
    const [s1, s2] = pipeline.stages;
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => build.newDeal(actor, { title: `D${i}` })));
    expect(new Set(created.map((d) => d.position)).size).toBe(12);
    await Promise.all(created.map((d) => build.call(moveDeal, { id: d.id, stageId: s2.id }, actor)));
    const titles = await board(s2.id);
    expect(titles.sort()).toEqual(created.map((d) => d.title).sort());
    const { data } = await build.call(listDeals, { filter: { pipelineId: pipeline.id, stageId: s2.id }, sort: 'position', limit: 100 }, actor);
    expect(new Set(data.map((d) => d.position)).size).toBe(12);
    expect(await board(s1.id)).toEqual([]);
  });

  it('wins and loses deals: they leave the board, their visit ends, and they close once', async () => {
    const won = await build.newDeal(actor, { title: 'Won' });
    const lost = await build.newDeal(actor, { title: 'Lost' });
    const closedWon = await build.call(winDeal, { id: won.id, expectedVersion: 1 }, actor);
    const closedLost = await build.call(loseDeal, { id: lost.id, reason: 'Price too high' }, actor);
    expect(closedWon).toMatchObject({ status: 'won', lostReason: null, version: 2 });
    expect(closedLost).toMatchObject({ status: 'lost', lostReason: 'Price too high' });
    expect(await board(pipeline.stages[0].id)).toEqual([]);
    expect((await build.call(dealHistory, { id: won.id }, actor)).data[0].leftAt).toBe(closedWon.closedAt);
    await expectRemoteError(build.call(winDeal, { id: lost.id }, actor), 'CONFLICT');
    await expectRemoteError(build.call(moveDeal, { id: won.id, stageId: pipeline.stages[1].id }, actor), 'CONFLICT');
    expect(await build.outboxEvents('sales-automation.deal.won.v1', won.id)).toHaveLength(1);
    expect(await build.outboxEvents('sales-automation.deal.lost.v1', lost.id)).toHaveLength(1);
    const lostOnes = await build.call(listDeals, { filter: { status: 'lost' } }, actor);
    expect(lostOnes.data.map((d) => d.id)).toEqual([lost.id]);
  });

  it('updates with If-Match: a stale version is refused, an empty change answers the deal as it is', async () => {
    const deal = await build.newDeal(actor);
    const updated = await build.call(updateDeal, { id: deal.id, expectedVersion: 1, patch: { title: 'Bigger deal', amountMinor: 250_00 } }, actor);
    expect(updated).toMatchObject({ title: 'Bigger deal', amountMinor: 25000, currency: 'EUR', version: 2 });
    const [event] = await build.outboxEvents('sales-automation.deal.updated.v1', deal.id);
    expect(event.data).toEqual({ deal: updated, changed: ['title', 'amountMinor'] });
    await expectRemoteError(build.call(updateDeal, { id: deal.id, expectedVersion: 1, patch: { title: 'Lost update' } }, actor), 'PRECONDITION_FAILED');
    await expectRemoteError(build.call(moveDeal, { id: deal.id, expectedVersion: 1, stageId: pipeline.stages[1].id }, actor), 'PRECONDITION_FAILED');
    expect(await build.call(updateDeal, { id: deal.id, patch: { title: 'Bigger deal' } }, actor)).toEqual(updated);
    await build.call(deleteDeal, { id: deal.id, expectedVersion: 2 }, actor);
    await expectRemoteError(build.call(getDeal, { id: deal.id }, actor), 'NOT_FOUND');
  });

  it('refuses bad input naming the fields', async () => {
    const error = await expectRemoteError(
      build.call(createDeal, { deal: { title: '', amountMinor: 12.5, currency: 'EURO', expectedCloseDate: '2027-02-30' } }, actor),
      'VALIDATION_FAILED',
    );
    expect([...new Set(failedPaths(error))].sort()).toEqual(['deal.amountMinor', 'deal.currency', 'deal.expectedCloseDate', 'deal.title']);
    const stage = await expectRemoteError(build.newDeal(actor, { stageId: randomUUID() }), 'VALIDATION_FAILED');
    expect(failedPaths(stage)).toEqual(['deal.stageId']);
    const discount = await expectRemoteError(
      build.newDeal(actor, { lines: [{ name: 'x', quantity: 1, unitPriceMinor: 5, discountMinor: 6 }] }),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(discount)).toEqual(['deal.lines.0.discountMinor']);
    const noBoard = await expectRemoteError(build.call(listDeals, { sort: 'position' }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(noBoard).sort()).toEqual(['filter.pipelineId', 'filter.stageId']);
    const deal = await build.newDeal(actor);
    const other = await build.newPipeline(actor, { name: 'Other' });
    const move = await expectRemoteError(build.call(moveDeal, { id: deal.id, stageId: other.stages[0].id }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(move)).toEqual(['stageId']);
    const cursor = await expectRemoteError(build.call(listDeals, { cursor: 'nope' }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(cursor)).toEqual(['cursor']);
  });

  it('pages by expected close (missing dates last), by amount and by owner', async () => {
    const ownerId = randomUUID();
    await build.newDeal(actor, { title: 'late', expectedCloseDate: '2027-06-01', amountMinor: 3 });
    await build.newDeal(actor, { title: 'none', amountMinor: 1, ownerId });
    await build.newDeal(actor, { title: 'early', expectedCloseDate: '2027-01-01', amountMinor: 2, ownerId });
    const all = async (sort: 'expectedCloseDate' | '-expectedCloseDate' | 'amount' | '-amount' | '-updatedAt', filter = {}) => {
      const titles: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await build.call(listDeals, { sort, filter, limit: 1, cursor }, actor);
        titles.push(...page.data.map((d) => d.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return titles;
    };
    expect(await all('expectedCloseDate')).toEqual(['early', 'late', 'none']);
    expect(await all('-expectedCloseDate')).toEqual(['late', 'early', 'none']);
    expect(await all('amount')).toEqual(['none', 'early', 'late']);
    expect(await all('-amount')).toEqual(['late', 'early', 'none']);
    expect(await all('-updatedAt', { ownerId })).toEqual(['early', 'none']);
  });

  it('lists every kind of deal (written as JSON by Postgres) exactly as it answers the deal itself, by the contract', async () => {
    const contactId = randomUUID();
    const open = await build.newDeal(actor, {
      title: 'Open "quoted" \\ déal',
      contactId,
      expectedCloseDate: '2027-03-31',
      amountMinor: 9_007_199_254,
      lines: [{ name: 'Seats', sku: 'S-1', quantity: 3, unitPriceMinor: 1000, discountMinor: 500 }],
    });
    const bare = await build.newDeal(actor, { title: 'Bare' });
    const lost = await build.call(loseDeal, { id: (await build.newDeal(actor, { title: 'Lost' })).id, reason: 'Price' }, actor);
    const won = await build.call(winDeal, { id: (await build.newDeal(actor, { title: 'Won' })).id }, actor);
    const acknowledged = await build.call(recordDealErpOrder, { id: won.id, system: 'sap', orderNumber: 'SO-1' }, actor);
    const page = await build.call(listDeals, { sort: '-updatedAt', limit: 100 }, actor);
    expect(listDeals.response.parse(page)).toEqual(page);
    const answered = await Promise.all([open, bare, lost, acknowledged].map(({ id }) => build.call(getDeal, { id }, actor)));
    expect([...page.data].sort((a, b) => a.id.localeCompare(b.id))).toEqual(answered.sort((a, b) => a.id.localeCompare(b.id)));
    expect(page.data.find((d) => d.id === acknowledged.id)).toEqual(acknowledged);
    expect(page.nextCursor).toBeNull();
  });

  it("answers another tenant's deal as not found and lists none of it", async () => {
    const deal = await build.newDeal(actor);
    const other = build.newActor();
    await expectRemoteError(build.call(getDeal, { id: deal.id }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(updateDeal, { id: deal.id, patch: { title: 'Mine' } }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(moveDeal, { id: deal.id, stageId: pipeline.stages[1].id }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(winDeal, { id: deal.id }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(dealHistory, { id: deal.id }, other), 'NOT_FOUND');
    expect((await build.call(listDeals, {}, other)).data).toEqual([]);
    await expectRemoteError(build.newDeal(other, { stageId: pipeline.stages[0].id }), 'VALIDATION_FAILED');
  });

  it('CreateDealService: a retried create with the same id, or for the same lead, answers the first deal', async () => {
    const service = ctx.service.app.get(CreateDealService);
    const id = randomUUID();
    const leadId = randomUUID();
    const input = { title: 'From lead', currency: 'EUR', leadId };
    const [a, b] = await Promise.all([service.create(actor.tenantId, input, { id }), service.create(actor.tenantId, input, { id })]);
    expect(a).toEqual(b);
    expect(a.id).toBe(id);
    expect(await service.create(actor.tenantId, input)).toEqual(a);
    expect(await board(pipeline.stages[0].id)).toEqual(['From lead']);
    expect(await build.outboxEvents('sales-automation.deal.created.v1', id)).toHaveLength(1);
  });
});
