import { randomUUID } from 'node:crypto';
import { diagnosticsEcho } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { startTestService, TestService, testToken } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';

// Start-up builds the service and may first build the migrated template database: seconds on a busy machine.
jest.setTimeout(60_000);

/** The whole service as main.ts starts it, against a fresh database and the real broker and Redis. */
describe(`${SERVICE_NAME} service`, () => {
  let service: TestService;
  let app: TestService['app'];
  let base: string;

  beforeAll(async () => {
    service = await startTestService({
      service: SERVICE_NAME,
      databaseUrlEnv: 'CONTACTS_DATABASE_URL',
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
    });
    ({ app, url: base } = service);
  });

  afterAll(() => service?.close());

  it('is ready only with its database, Redis and the broker checked (details on the internal port)', async () => {
    const response = await fetch(`${service.internalUrl}/health/ready`);
    const body = JSON.stringify(await response.json());
    expect(response.status).toBe(200);
    for (const check of ['postgres', 'redis', 'rabbitmq']) expect(body).toContain(check);
  });

  it('exposes the messaging metrics at /metrics on the internal port only', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const text = await (await fetch(`${service.internalUrl}/metrics`)).text();
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
});
