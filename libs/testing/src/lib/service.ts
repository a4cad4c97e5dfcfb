import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { databaseUrlVariable } from '@crm/config';
import { connectAppTransport, createFastifyAdapter, InternalHttpServer, removeUnmountedClsEnhancers } from '@crm/observability';
import { testEnv } from './env';
import { createTestDatabase } from './database';
import { deleteTestBus, testBusPrefix } from './bus';
import { testGatewayKeyEnv } from './caller-tokens';
import { refuseDevelopmentDatabase } from './development-database';
import { warnIfSlow } from './slow-step';

export interface TestServiceOptions<C> {
  /** The service's name, also its migrations' folder (`apps/<service>`) and its database variable (`<SERVICE>_DATABASE_URL`). */
  service: string;
  loadConfig: (env: Record<string, string>) => C;
  module: (config: C) => DynamicModule;
  env?: Record<string, string>;
  /** What main.ts does to the app before it listens beyond the transport (e.g. its OpenAPI document). */
  configure?: (app: NestFastifyApplication, config: C) => void | Promise<void>;
}

/**
 * A whole service as main.ts starts it (Nest on Fastify), on a free port (and its internal port,
 * metrics and readiness details, on another), against a fresh
 * database of its own and the real broker and Redis. The database reaches the app through its
 * config only (`<SERVICE>_DATABASE_URL`), as every other setting does.
 */
export async function startTestService<C>(options: TestServiceOptions<C>) {
  const env = await testEnv();
  const db = await createTestDatabase(options.service);
  // Queues and exchanges of its own unless the test shares a prefix with other apps (and cleans up itself).
  const ownBusPrefix = options.env?.['BUS_NAME_PREFIX'] === undefined ? testBusPrefix() : undefined;
  const databaseUrlEnv = databaseUrlVariable(options.service);
  const config = options.loadConfig({
    [databaseUrlEnv]: db.url,
    RABBITMQ_URL: env.rabbitmqUrl,
    REDIS_URL: env.redisUrl,
    LOG_LEVEL: 'warn',
    ...(ownBusPrefix && { BUS_NAME_PREFIX: ownBusPrefix }),
    // The test key pair: a service trusts it (callers send `testToken(...)`), a gateway signs with
    // it (services ignore the private key; a gateway needs both).
    ...testGatewayKeyEnv(),
    ...options.env,
  });
  try {
    refuseDevelopmentDatabase(options.service, (config as Record<string, string>)[databaseUrlEnv]);
  } catch (error) {
    await db.drop();
    throw error;
  }
  const app = await NestFactory.create<NestFastifyApplication>(options.module(config), createFastifyAdapter(), { logger: ['error'] });
  removeUnmountedClsEnhancers(app);
  // Its bus, as main.ts connects it (the messaging library's transport).
  connectAppTransport(app);
  await options.configure?.(app, config);
  await app.listen(0, '127.0.0.1');
  await app.startAllMicroservices();
  const internalUrl = await app.get(InternalHttpServer).listen(0, '127.0.0.1');
  return {
    app,
    config,
    db,
    url: await app.getUrl(),
    internalUrl,
    async close() {
      await warnIfSlow(`closing ${options.service}`, () => app.close());
      await warnIfSlow(`dropping ${db.name}`, () => db.drop());
      if (ownBusPrefix) await deleteTestBus(ownBusPrefix, { rabbitmqUrl: env.rabbitmqUrl });
    },
  };
}
export type TestService = Awaited<ReturnType<typeof startTestService>>;
