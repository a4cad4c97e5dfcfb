import type { ModuleMetadata } from '@nestjs/common';
import type { Actor, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { z } from 'zod';
import { startTestService, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { Database } from '../infrastructure/database/database';

/**
 * The sales-automation service as main.ts starts it, against a fresh database of its own, on bus names
 * of its own (deleted on close), with the real broker and Redis.
 */
export class SalesAutomationTestContext {
  private constructor(readonly service: TestService) {}

  /**
   * `imports`: modules added beside the app's (e.g. recording stubs of ports another part of the
   * service provides), as a test's own stand-ins.
   */
  static async start(options: { imports?: NonNullable<ModuleMetadata['imports']>; env?: Record<string, string> } = {}): Promise<SalesAutomationTestContext> {
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      env: options.env,
      module: (config) => {
        const app = AppModule.register(config);
        return options.imports?.length ? { ...app, imports: [...(app.imports ?? []), ...options.imports] } : app;
      },
    });
    return new SalesAutomationTestContext(service);
  }

  get database(): Database {
    return this.service.app.get(Database);
  }

  /**
   * Calls as the gateway does: with a token for `actor` signed by the test key pair the service
   * trusts (none without actor). The payload as a caller writes it (defaults may be left out: the
   * contract's check fills them in).
   */
  call<C extends RpcContract>(contract: C, payload: z.input<C['request']>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload as RpcRequest<C>, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
  }

  close(): Promise<void> {
    return this.service.close();
  }
}
