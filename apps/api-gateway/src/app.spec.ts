import { startTestService, TestService } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';

/** The whole service as main.ts starts it, against a fresh database and the real broker and Redis. */
describe(`${SERVICE_NAME} service`, () => {
  let service: TestService;
  let base: string;

  beforeAll(async () => {
    service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
    });
    base = service.url;
  });

  afterAll(() => service?.close());

  it('is ready only with its database, Redis and the broker checked (details on the internal port)', async () => {
    // Listening comes before the broker connection is up: readiness may say 503 for a moment.
    let response = await fetch(`${service.internalUrl}/health/ready`);
    for (let waited = 0; response.status !== 200 && waited < 10_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await fetch(`${service.internalUrl}/health/ready`);
    }
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
});
