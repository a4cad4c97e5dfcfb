import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpCatcher, testEnv, testRedis, type TestRedis } from '@crm/testing';
import { LocalSystem } from '../../../support/local-system';

/** How long `npm run start:all` may take to answer ready (it migrates fresh databases and builds nothing, but a busy 2-core machine is slow): a bounded wait. */
const READY_WAIT_MS = 240_000;
/** What the test files read to find the system (Jest workers inherit the environment of the process that ran the set-up). */
export const GATEWAY_URL_VARIABLE = 'CRM_E2E_GATEWAY_URL';
export const RUN_VARIABLE = 'CRM_E2E_RUN';
export const INTEGRATION_URL_VARIABLE = 'CRM_E2E_INTEGRATION_URL';
/** Where the set-up's SMTP server keeps what the services send (one .eml file per message). */
export const MAIL_DIRECTORY_VARIABLE = 'CRM_E2E_MAIL_DIRECTORY';
/** The file whose milliseconds move the sales-automation service's clock (its waits and scheduled sends). */
export const CLOCK_OFFSET_FILE_VARIABLE = 'CRM_E2E_CLOCK_OFFSET_FILE';

interface Running {
  system: LocalSystem;
  redis: TestRedis;
  smtp: SmtpCatcher;
  scratch: string;
}

/**
 * The whole system as `npm run start:all` runs it (gateway, contacts, analytics: real Postgres,
 * RabbitMQ, Redis), started once for every CRM end-to-end file: each file signs up tenants of
 * its own, so the files share nothing but the processes.
 */
export async function startSharedSystem(): Promise<Running> {
  const redis = await testRedis();
  const system = new LocalSystem(await testEnv(), 'e2e');
  const scratch = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
  const mailDirectory = join(scratch, 'mail');
  const clockOffsetFile = join(scratch, 'clock-offset-ms');
  writeFileSync(clockOffsetFile, '0');
  // A real SMTP server in this process: the services' mail goes to it, the test files read the files it keeps.
  const smtp = await SmtpCatcher.start({ directory: mailDirectory });
  try {
    // The gateway's Redis keys (rate limits, login throttling) under this run's prefix, removed after.
    // Webhook receivers of the tests listen on 127.0.0.1, which the integration gateway refuses by default (SSRF).
    await system.start({
      AUTH_REDIS_PREFIX: redis.prefix,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SALES_AUTOMATION_SMTP_URL: smtp.url,
      SUPPORT_TICKETS_SMTP_URL: smtp.url,
      SUPPORT_TICKETS_ATTACHMENTS_DIR: join(scratch, 'attachments'),
      SALES_AUTOMATION_CLOCK_OFFSET_FILE: clockOffsetFile,
    });
    await system.waitUntilReady(READY_WAIT_MS);
  } catch (error) {
    await stopSharedSystem({ system, redis, smtp, scratch });
    throw error;
  }
  process.env[MAIL_DIRECTORY_VARIABLE] = mailDirectory;
  process.env[CLOCK_OFFSET_FILE_VARIABLE] = clockOffsetFile;
  process.env[GATEWAY_URL_VARIABLE] = system.url('api-gateway');
  process.env[RUN_VARIABLE] = system.run;
  process.env[INTEGRATION_URL_VARIABLE] = system.url('integration-gateway');
  return { system, redis, smtp, scratch };
}

export async function stopSharedSystem({ system, redis, smtp, scratch }: Running): Promise<void> {
  await system.stop(45_000);
  await system.cleanup();
  await redis.cleanup();
  await smtp.close();
  rmSync(scratch, { recursive: true, force: true });
}
