import { RemoteError } from '@crm/messaging';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { z } from 'zod';
import { startTestService, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { Database } from '../infrastructure/database/database';

/**
 * Settings for a file that checks what is queued to send, not the sending: nothing listens on
 * port 9 and the sender polls once in ten minutes.
 */
export const IDLE_MAIL_SENDER = { SUPPORT_TICKETS_SMTP_URL: 'smtp://127.0.0.1:9', SUPPORT_TICKETS_MAIL_POLL_MS: '600000' } as const;

/**
 * The support-tickets service as main.ts starts it, against a fresh database of its own, on bus names
 * of its own (deleted on close), with the real broker and Redis.
 */
export class SupportTicketsTestContext {
  private constructor(readonly service: TestService) {}

  /** `env`: settings over the test defaults (the SMTP listener on a free port, attachments in a temporary directory). */
  static async start(env: Record<string, string> = {}): Promise<SupportTicketsTestContext> {
    const service = await startTestService({
      service: SERVICE_NAME,
      env: {
        SUPPORT_TICKETS_INBOUND_SMTP_PORT: '0',
        SUPPORT_TICKETS_INBOUND_SMTP_HOST: '127.0.0.1',
        SUPPORT_TICKETS_ATTACHMENTS_DIR: join(tmpdir(), `crm-support-attachments-${process.pid}`),
        SUPPORT_TICKETS_MAIL_POLL_MS: '200',
        ...env,
      },
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
    });
    return new SupportTicketsTestContext(service);
  }

  get database(): Database {
    return this.service.app.get(Database);
  }

  /**
   * Calls as the gateway does: with a token for `actor` signed by the test key pair the service
   * trusts (none without actor). The payload as a caller writes it (defaults may be left out).
   */
  call<C extends RpcContract>(contract: C, payload: z.input<C['request']>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload as RpcRequest<C>, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
  }

  close(): Promise<void> {
    return this.service.close();
  }
}

/** Awaits a call that must fail with a RemoteError of `code`; the error, for a closer look. */
export async function expectRemoteError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}
