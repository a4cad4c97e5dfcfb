import { eventually, expectProblem, Json, summary } from '../api-client';
import { created, sharedSystem, signUpTenant, Tenant } from './support/crm-api';

const SITE = 'https://www.journey.example';
/** Events travel sales-automation → bus → contacts: a bounded wait, never a fixed sleep. */
const EVENT_WAIT_MS = 30_000;

/**
 * Issue 12's story in one run through the gateway: a web form's lead converted into the existing
 * contact and a deal, the deal dragged through the stages and won, an order recorded for the
 * contact; the contact's timeline shows the deal and the order, and its lifetime value counts the
 * order. Another tenant sees none of it.
 */
describe('sales: from a web form to a won deal and an order on the timeline (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'sales-journey-a');
    B = await signUpTenant(api, run, 'sales-journey-b');
  });

  it('web form → lead → converted (the existing contact reused) → deal moved through the stages → won → order on the timeline and in lifetime value; tenant B sees none of it', async () => {
    const pipeline = await created(
      api.post(
        '/api/v1/pipelines',
        {
          name: 'Journey',
          stages: [
            { name: 'Qualified', winProbability: 20 },
            { name: 'Proposal', winProbability: 50 },
            { name: 'Negotiation', winProbability: 80 },
          ],
        },
        A.token,
      ),
    );
    const form = await created(api.post('/api/v1/forms', { name: 'Talk to sales', allowedOrigins: [SITE] }, A.token));
    const email = `margaret-${run}@example.test`;
    const contact = await created(api.post('/api/v1/contacts', { firstName: 'Margaret', lastName: 'Hamilton', emails: [{ address: email }] }, A.token));

    // The public form: no token, the form's origin.
    const submitted = await api.post(`/api/v1/forms/${form.formKey}/submissions`, { firstName: 'Margaret', lastName: 'Hamilton', email }, undefined, {
      origin: SITE,
    });
    expect(summary(submitted)).toMatchObject({ status: 202 });
    const leads = await api.get(`/api/v1/leads?source=web_form`, A.token);
    const lead = leads.body.data.find((l: Json) => l.email === email);
    expect(lead).toMatchObject({ status: 'new', formId: form.id });

    const converted = await api.post(
      `/api/v1/leads/${lead.id}/convert`,
      { createDeal: { title: 'Apollo guidance', amountMinor: 48_000_00, currency: 'EUR', pipelineId: pipeline.id } },
      A.token,
    );
    expect(summary(converted)).toMatchObject({ status: 200, body: { contactId: contact.id, lead: { status: 'converted' } } });
    const dealPath = `/api/v1/deals/${converted.body.dealId}`;
    let deal = (await api.get(dealPath, A.token)).body;
    expect(deal).toMatchObject({ contactId: contact.id, pipelineId: pipeline.id, stageId: pipeline.stages[0].id, status: 'open' });

    for (const stage of pipeline.stages.slice(1)) {
      const moved = await api.post(`${dealPath}/move`, { stageId: stage.id }, A.token, { 'if-match': `"${deal.version}"` });
      expect(summary(moved)).toMatchObject({ status: 200, body: { stageId: stage.id } });
      deal = moved.body;
    }
    expectProblem(await api.post(`${dealPath}/won`, {}, A.token, { 'if-match': `"${deal.version - 1}"` }), 412);
    const won = await api.post(`${dealPath}/won`, {}, A.token, { 'if-match': `"${deal.version}"` });
    expect(summary(won)).toMatchObject({ status: 200, body: { status: 'won' } });
    const history = await api.get(`${dealPath}/history`, A.token);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(pipeline.stages[2].id);

    const order = await created(
      api.post(
        '/api/v1/orders',
        {
          contactId: contact.id,
          currency: 'EUR',
          purchasedAt: '2026-11-30T09:00:00Z',
          channel: 'web',
          lines: [
            { name: 'Guidance computer', quantity: 1, unitPriceMinor: 40_000_00 },
            { name: 'Rope memory', quantity: 4, unitPriceMinor: 2_000_00, discountMinor: 1_000_00 },
          ],
        },
        A.token,
      ),
    );
    expect(order).toMatchObject({ totalMinor: 47_000_00, status: 'placed' });

    const timeline = await eventually(
      () => api.get(`/api/v1/contacts/${contact.id}/activities`, A.token),
      (page) =>
        page.status === 200 &&
        page.body.data.some((a: Json) => a.kind === 'order') &&
        page.body.data.some((a: Json) => a.kind === 'deal' && a.status === 'won'),
      EVENT_WAIT_MS,
    );
    expect(timeline.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'order', id: order.id, amountMinor: 47_000_00, currency: 'EUR' }),
        expect.objectContaining({ kind: 'deal', id: deal.id, status: 'won', title: 'Apollo guidance' }),
      ]),
    );
    const withValue = await eventually(
      () => api.get(`/api/v1/contacts/${contact.id}`, A.token),
      (read) => read.body?.lifetimeValue?.length > 0,
      EVENT_WAIT_MS,
    );
    expect(withValue.body).toMatchObject({ lifetimeValue: [{ currency: 'EUR', amountMinor: 47_000_00 }], lastPurchaseAt: '2026-11-30T09:00:00.000Z' });

    // Tenant B: every record of the story answers 404, and its lists are empty.
    for (const path of [`/api/v1/leads/${lead.id}`, dealPath, `/api/v1/orders/${order.id}`, `/api/v1/pipelines/${pipeline.id}`, `/api/v1/forms/${form.id}`]) {
      expectProblem(await api.get(path, B.token), 404);
    }
    expectProblem(await api.get(`/api/v1/contacts/${contact.id}/activities`, B.token), 404);
    for (const path of ['/api/v1/leads', '/api/v1/deals', '/api/v1/orders', '/api/v1/pipelines']) {
      expect(summary(await api.get(path, B.token))).toMatchObject({ status: 200, body: { data: [] } });
    }
  });
});
