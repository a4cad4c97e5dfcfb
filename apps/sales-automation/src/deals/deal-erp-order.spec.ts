import { Actor, dealErpOrderRecorded, dealUpdated, dealWon, getDeal, recordDealErpOrder, winDeal } from '@crm/contracts';
import { DealBuilders, expectRemoteError } from '../testing/deal-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe("a won deal's ERP order (the ERP's acknowledgement)", () => {
  let ctx: SalesAutomationTestContext;
  let build: DealBuilders;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new DealBuilders(ctx);
  });
  afterAll(() => ctx?.close());
  beforeEach(async () => {
    actor = build.newActor();
    await build.newPipeline(actor);
  });

  const wonDeal = async (as: Actor = actor) => {
    const deal = await build.newDeal(as, {
      lines: [{ name: 'Widget', sku: 'W-1', quantity: 2, unitPriceMinor: 50_00 }],
      amountMinor: 100_00,
    });
    return build.call(winDeal, { id: deal.id }, as);
  };

  it('carries what the ERP needs to create the sales order on deal.won', async () => {
    const won = await wonDeal();
    expect(await build.outboxEvents(dealWon.name, won.id)).toEqual([expect.objectContaining({ data: { deal: won } })]);
    expect(won).toMatchObject({ status: 'won', amountMinor: 100_00, currency: 'EUR', lines: [{ sku: 'W-1', quantity: 2, totalMinor: 100_00 }], erpOrder: null });
  });

  it('stores the order number once (events), answers the same number again as it is, and refuses another', async () => {
    const won = await wonDeal();
    const recorded = await build.call(recordDealErpOrder, { id: won.id, system: 'sap', orderNumber: 'SO-4711' }, actor);
    expect(recorded).toMatchObject({ erpOrder: { system: 'sap', orderNumber: 'SO-4711', acknowledgedAt: expect.any(String) }, version: won.version + 1 });
    expect(await build.call(getDeal, { id: won.id }, actor)).toEqual(recorded);
    expect(await build.outboxEvents(dealErpOrderRecorded.name, won.id)).toEqual([
      expect.objectContaining({
        data: { dealId: won.id, system: 'sap', orderNumber: 'SO-4711', acknowledgedAt: recorded.erpOrder?.acknowledgedAt, deal: recorded },
      }),
    ]);
    expect(await build.outboxEvents(dealUpdated.name, won.id)).toEqual([expect.objectContaining({ data: { deal: recorded, changed: ['erpOrder'] } })]);

    // A retried acknowledgement: the deal as it is, no second event.
    expect(await build.call(recordDealErpOrder, { id: won.id, system: 'sap', orderNumber: 'SO-4711' }, actor)).toEqual(recorded);
    expect(await build.outboxEvents(dealErpOrderRecorded.name, won.id)).toHaveLength(1);

    const other = await expectRemoteError(build.call(recordDealErpOrder, { id: won.id, system: 'sap', orderNumber: 'SO-9999' }, actor), 'CONFLICT');
    expect(other.details).toMatchObject({ problemCode: 'ERP_ORDER_EXISTS', errors: [{ field: 'orderNumber' }] });
    expect(await build.call(getDeal, { id: won.id }, actor)).toEqual(recorded);
  });

  it('refuses a deal not won (409 DEAL_NOT_WON) and answers 404 for another tenant', async () => {
    const open = await build.newDeal(actor);
    const error = await expectRemoteError(build.call(recordDealErpOrder, { id: open.id, system: 'sap', orderNumber: 'SO-1' }, actor), 'CONFLICT');
    expect(error.details).toMatchObject({ problemCode: 'DEAL_NOT_WON' });
    expect(await build.call(getDeal, { id: open.id }, actor)).toMatchObject({ erpOrder: null, version: open.version });

    const won = await wonDeal();
    const stranger = build.newActor();
    await expectRemoteError(build.call(recordDealErpOrder, { id: won.id, system: 'sap', orderNumber: 'SO-1' }, stranger), 'NOT_FOUND');
    expect(await build.call(getDeal, { id: won.id }, actor)).toMatchObject({ erpOrder: null });
  });
});
