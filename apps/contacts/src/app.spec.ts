import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { diagnosticsEcho } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { createFastifyAdapter } from '@crm/observability';
import { createTestDatabase, TestDatabase, testEnv } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';

/** The whole service as main.ts starts it, against a fresh database and the real broker and Redis. */
describe(`${SERVICE_NAME} service`, () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    const env = await testEnv();
    db = await createTestDatabase(SERVICE_NAME);
    process.env['CONTACTS_DATABASE_URL'] = db.url;
    const config = AppConfig.load({ CONTACTS_DATABASE_URL: db.url, RABBITMQ_URL: env.rabbitmqUrl, REDIS_URL: env.redisUrl, LOG_LEVEL: 'warn' });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('is ready only with its database, Redis and the broker checked', async () => {
    const response = await fetch(`${base}/health/ready`);
    const body = JSON.stringify(await response.json());
    expect(response.status).toBe(200);
    for (const check of ['postgres', 'redis', 'rabbitmq']) expect(body).toContain(check);
  });

  it('exposes the messaging metrics at /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('crm_outbox_pending_messages');
    expect(text).toContain('crm_message_handler_duration_seconds');
  });

  it('answers its diagnostics echo query over the bus', async () => {
    const reply = await app.get(RpcClient).call(diagnosticsEcho(SERVICE_NAME), { payload: 'ping' });
    expect(reply).toEqual({ payload: 'ping', service: SERVICE_NAME });
  });
});
