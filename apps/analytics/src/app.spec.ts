import { randomUUID } from 'node:crypto';
import { getAnalyticsSummary, diagnosticsEcho } from '@crm/contracts';
import { MessagingTransport, RpcClient } from '@crm/messaging';
import { lastValueFrom } from 'rxjs';
import { testToken } from '@crm/testing';
import { SERVICE_NAME } from './app.config';
import { AnalyticsTestContext } from './testing/analytics-test-context';

/** The whole service as main.ts starts it, against a fresh database and the real broker and Redis. */
describe(`${SERVICE_NAME} service`, () => {
  let ctx: AnalyticsTestContext;
  let app: AnalyticsTestContext['service']['app'];
  let base: string;

  beforeAll(async () => {
    // On bus names of its own: the service declares its event queues, which the test deletes.
    ctx = await AnalyticsTestContext.start();
    ({ app, url: base } = ctx.service);
  });

  afterAll(() => ctx?.close());

  it('is ready only with its database and the broker checked, and no Redis check: it keeps no state there (details on the internal port)', async () => {
    const response = await fetch(`${ctx.service.internalUrl}/health/ready`);
    const body = JSON.stringify(await response.json());
    expect(response.status).toBe(200);
    for (const check of ['postgres', 'rabbitmq']) expect(body).toContain(check);
    expect(body).not.toContain('redis');
  });

  it('exposes the messaging metrics at /metrics on the internal port only', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const text = await (await fetch(`${ctx.service.internalUrl}/metrics`)).text();
    expect(text).toContain('crm_outbox_pending_messages');
    expect(text).toContain('crm_message_handler_duration_seconds');
  });

  it('answers its diagnostics echo query over the bus, for a caller with a valid token', async () => {
    const token = testToken({ tenantId: randomUUID(), userId: randomUUID(), roles: ['viewer'] });
    const reply = await app.get(RpcClient).call(diagnosticsEcho(SERVICE_NAME), { payload: 'ping' }, { token });
    expect(reply).toEqual({ payload: 'ping', service: SERVICE_NAME });
  });

  it('refuses a query without a caller token', async () => {
    await expect(app.get(RpcClient).call(diagnosticsEcho(SERVICE_NAME), { payload: 'ping' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  // The messaging side of "every route is guarded unless declared public": the transport verifies
  // the caller before Nest's pipeline runs, for every command and query handler Nest registered.
  it('reaches none of its message handlers without a verified caller, and each is declared with its contract', async () => {
    const transport = app.get(MessagingTransport);
    const patterns = [...transport.getHandlers().entries()].filter(([, handler]) => !handler.isEventHandler).map(([pattern]) => pattern);
    expect(patterns).toEqual(expect.arrayContaining([getAnalyticsSummary.name, diagnosticsEcho(SERVICE_NAME).name]));
    expect(patterns.filter((pattern) => !transport.rpc(pattern)?.contract)).toEqual([]);
    for (const pattern of patterns) {
      await expect(lastValueFrom(app.get(RpcClient).send(pattern, {}))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
