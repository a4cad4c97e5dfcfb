import { testEnv, testRedis, type TestRedis } from '@crm/testing';
import { LocalSystem } from '../../../support/local-system';

/** How long `npm run start:all` may take to answer ready (it migrates fresh databases and builds nothing, but a busy 2-core machine is slow): a bounded wait. */
const READY_WAIT_MS = 240_000;
/** What the test files read to find the system (Jest workers inherit the environment of the process that ran the set-up). */
export const GATEWAY_URL_VARIABLE = 'CRM_E2E_GATEWAY_URL';
export const RUN_VARIABLE = 'CRM_E2E_RUN';
export const INTEGRATION_URL_VARIABLE = 'CRM_E2E_INTEGRATION_URL';

interface Running {
  system: LocalSystem;
  redis: TestRedis;
}

/**
 * The whole system as `npm run start:all` runs it (gateway, contacts, analytics: real Postgres,
 * RabbitMQ, Redis), started once for every CRM end-to-end file: each file signs up tenants of
 * its own, so the files share nothing but the processes.
 */
export async function startSharedSystem(): Promise<Running> {
  const redis = await testRedis();
  const system = new LocalSystem(await testEnv(), 'e2e');
  try {
    // The gateway's Redis keys (rate limits, login throttling) under this run's prefix, removed after.
    // Webhook receivers of the tests listen on 127.0.0.1, which the integration gateway refuses by default (SSRF).
    await system.start({ AUTH_REDIS_PREFIX: redis.prefix, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await system.waitUntilReady(READY_WAIT_MS);
  } catch (error) {
    await stopSharedSystem({ system, redis });
    throw error;
  }
  process.env[GATEWAY_URL_VARIABLE] = system.url('api-gateway');
  process.env[RUN_VARIABLE] = system.run;
  process.env[INTEGRATION_URL_VARIABLE] = system.url('integration-gateway');
  return { system, redis };
}

export async function stopSharedSystem({ system, redis }: Running): Promise<void> {
  await system.stop(45_000);
  await system.cleanup();
  await redis.cleanup();
}
