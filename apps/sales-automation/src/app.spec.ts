import { randomUUID } from 'node:crypto';
import { salesAutomationEcho, type Actor } from '@crm/contracts';
import { MessagingTransport, RpcClient } from '@crm/messaging';
import { lastValueFrom } from 'rxjs';
import { SERVICE_NAME } from './app.config';
import { SalesAutomationTestContext } from './testing/sales-automation-test-context';

/** The whole service as main.ts starts it, against a fresh database and the real broker and Redis. */
describe(`${SERVICE_NAME} service`, () => {
  let ctx: SalesAutomationTestContext;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
  });

  afterAll(() => ctx?.close());

  it('is ready only with its database and the broker checked, and no Redis check: it keeps no state there (details on the internal port)', async () => {
    const response = await fetch(`${ctx.service.internalUrl}/health/ready`);
    const body = JSON.stringify(await response.json());
    expect(response.status).toBe(200);
    for (const check of ['postgres', 'rabbitmq']) expect(body).toContain(check);
    expect(body).not.toContain('redis');
  });

  it('answers its diagnostics echo query over the bus, for a caller with a valid token', async () => {
    const actor: Actor = { tenantId: randomUUID(), userId: randomUUID(), roles: ['viewer'] };
    expect(await ctx.call(salesAutomationEcho, { payload: 'ping' }, actor)).toEqual({ payload: 'ping', service: SERVICE_NAME });
  });

  it('refuses a query without a caller token', async () => {
    await expect(ctx.call(salesAutomationEcho, { payload: 'ping' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  // The messaging side of "every route is guarded unless declared public": the transport verifies
  // the caller before Nest's pipeline runs, for every command and query handler Nest registered.
  it('reaches none of its message handlers without a verified caller, and each is declared with its contract', async () => {
    const transport = ctx.service.app.get(MessagingTransport);
    const patterns = [...transport.getHandlers().entries()].filter(([, handler]) => !handler.isEventHandler).map(([pattern]) => pattern);
    expect(patterns).toEqual(expect.arrayContaining([salesAutomationEcho.name]));
    expect(patterns.filter((pattern) => !transport.rpc(pattern)?.contract)).toEqual([]);
    for (const pattern of patterns) {
      await expect(lastValueFrom(ctx.service.app.get(RpcClient).send(pattern, {}))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
