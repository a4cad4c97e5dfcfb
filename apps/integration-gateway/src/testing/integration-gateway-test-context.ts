import type { Actor, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startTestService, TestEventBus, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { Database } from '../infrastructure/database/database';
import { ERP_SCOPES, type ErpClient } from '../erp-auth/erp-client';
import { ErpTokens } from '../erp-auth/erp-tokens';
import { setupOpenApi } from '../openapi/setup-openapi';

/**
 * The integration-gateway service as main.ts starts it, against a fresh database of its own, on bus names
 * of its own (deleted on close), with the real broker and Redis.
 */
export class IntegrationGatewayTestContext {
  private constructor(
    readonly service: TestService,
    /** Other services' events delivered to this one, and what this one publishes. */
    readonly bus: TestEventBus,
  ) {}

  /** `env` adds or overrides settings (e.g. a shared BUS_NAME_PREFIX with the services a test starts beside it). */
  static async start(env: Record<string, string> = {}): Promise<IntegrationGatewayTestContext> {
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
      // As main.ts: the OpenAPI document at /docs-json.
      configure: (app) => setupOpenApi(app),
      // Tests' webhook receivers listen on 127.0.0.1.
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', INTEGRATION_GATEWAY_JOBS_POLL_SECONDS: '0.5', ...env },
    });
    const config = service.config as AppConfig;
    const bus = await TestEventBus.connect({ rabbitmqUrl: config.RABBITMQ_URL, prefix: config.BUS_NAME_PREFIX, service: SERVICE_NAME });
    return new IntegrationGatewayTestContext(service, bus);
  }

  get database(): Database {
    return this.service.app.get(Database);
  }

  /** Calls as the gateway does: with a token for `actor` signed by the test key pair the service trusts (none without actor). */
  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
  }

  /** Sends a payload as is: the client's own contract check is skipped, so the service's is what answers. */
  callUnchecked(contract: RpcContract, payload: unknown, actor: Actor): Promise<unknown> {
    return this.service.app.get(RpcClient).call({ ...contract, request: z.unknown() }, payload, { token: testTokenFor(actor), timeoutMs: 10_000 });
  }

  /** The HTTP base URL (the /erp routes, /oauth/token). */
  get url(): string {
    return this.service.url;
  }

  /** An ERP client (not stored: tokens are verified by signature) of a new tenant unless given, with every scope unless given. */
  newClient(overrides: Partial<ErpClient> = {}): ErpClient {
    return { tenantId: randomUUID(), clientId: randomUUID(), scopes: [...ERP_SCOPES], ...overrides };
  }

  /** An access token as POST /oauth/token issues it, for `client`. */
  async accessToken(client: ErpClient): Promise<string> {
    return (await this.service.app.get(ErpTokens).issueAccessToken(client)).access_token;
  }

  /** fetch() against the gateway as `client` (Bearer token), JSON in and out. */
  async request(client: ErpClient | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const auth: Record<string, string> = client ? { authorization: `Bearer ${await this.accessToken(client)}` } : {};
    return fetch(`${this.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.service.close();
  }
}
