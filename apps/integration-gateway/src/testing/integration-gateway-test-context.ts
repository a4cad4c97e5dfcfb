import type { Actor, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { randomUUID } from 'node:crypto';
import { startTestService, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { Database } from '../infrastructure/database/database';
import { PrismaService } from '../infrastructure/database/prisma.service';
import { ERP_SCOPES, type ErpClient } from '../erp-auth/erp-client';
import { ErpTokens } from '../erp-auth/erp-tokens';
import { setupOpenApi } from '../openapi/setup-openapi';

/**
 * The integration-gateway service as main.ts starts it, against a fresh database of its own, on bus names
 * of its own (deleted on close), with the real broker and Redis.
 */
export class IntegrationGatewayTestContext {
  private constructor(readonly service: TestService) {}

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
    return new IntegrationGatewayTestContext(service);
  }

  get prisma(): PrismaService {
    return this.service.app.get(PrismaService);
  }

  get database(): Database {
    return this.service.app.get(Database);
  }

  /** Calls as the gateway does: with a token for `actor` signed by the test key pair the service trusts (none without actor). */
  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
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

  close(): Promise<void> {
    return this.service.close();
  }
}
