import { Parser } from '@asyncapi/parser';
import { contactCreated, orderRecorded } from '@crm/contracts';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';

/** Validated with @asyncapi/parser (the CLI is not installed; its `validate` runs this same parser). */
describe('AsyncAPI document (GET /erp/v1/asyncapi.json)', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('is served without a token and is a valid AsyncAPI 3 document describing every change type', async () => {
    const response = await fetch(`${ctx.url}/erp/v1/asyncapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string; components: { messages: Record<string, { payload: { properties: Record<string, unknown> } }> } };
    expect(document.asyncapi).toBe('3.0.0');

    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(parsed).toBeDefined();
    const names = parsed?.allMessages().all().map((m) => m.id()) ?? [];
    expect(names).toEqual(expect.arrayContaining([contactCreated.name, orderRecorded.name]));
    expect(parsed?.operations().all().map((o) => o.id()).sort()).toEqual(['readChanges', 'receiveWebhooks']);

    // The data schema is the contract's own (zod -> JSON Schema): a contact's fields are in it.
    const created = document.components.messages[contactCreated.name].payload.properties;
    expect(created['type']).toEqual({ type: 'string', const: contactCreated.name });
    expect(JSON.stringify(created['data'])).toMatch(/"firstName"/);
  });
});
