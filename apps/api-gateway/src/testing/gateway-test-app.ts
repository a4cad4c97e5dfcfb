import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createFastifyAdapter, removeUnmountedClsEnhancers } from '@crm/observability';
import { createTestDatabase, deleteTestBus, refuseDevelopmentDatabase, testBusPrefix, TestDatabase, testEnv, testGatewayKeyEnv, warnIfSlow } from '@crm/testing';
import { randomBytes } from 'node:crypto';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { connectGatewayMessaging } from '../bus/connect-gateway-messaging';
import { configureHttp, httpServerOptions } from '../http/configure-http';
import { setupOpenApi } from '../openapi/setup-openapi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface SignedUp {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string; roles: string[] };
  tenant: { id: string; name: string };
}

/**
 * The gateway as main.ts starts it, against a throwaway database of its own (given to the app
 * through its config, the only place the app reads it from), real Redis and RabbitMQ, with HTTP
 * helpers and builders (`ctx.signup()`) for medium tests.
 */
export class GatewayTestContext {
  private counter = 0;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly base: string,
    readonly config: AppConfig,
    private readonly db: TestDatabase,
    /** The bus prefix this context made for itself (none when the test gave one: the test cleans up its own). */
    private readonly ownBusPrefix?: string,
  ) {}

  /**
   * `env` overrides any variable (as strings, exactly as the environment would give them);
   * `imports` adds test-only modules (e.g. a controller to exercise a cross-cutting feature).
   */
  static async start(env: Record<string, string> = {}, imports: Array<Type<unknown> | DynamicModule> = []): Promise<GatewayTestContext> {
    const servers = await testEnv();
    const db = await createTestDatabase(SERVICE_NAME);
    // Queues and exchanges of its own (the gateway consumes events): never the unprefixed names a
    // running system uses, nor another test's.
    const ownBusPrefix = env['BUS_NAME_PREFIX'] === undefined ? testBusPrefix() : undefined;
    const config = AppConfig.load({
      API_GATEWAY_DATABASE_URL: db.url,
      RABBITMQ_URL: servers.rabbitmqUrl,
      REDIS_URL: servers.redisUrl,
      LOG_LEVEL: 'warn',
      ...(ownBusPrefix && { BUS_NAME_PREFIX: ownBusPrefix }),
      // The test key pair: services started by startTestService trust the tokens this gateway signs.
      ...testGatewayKeyEnv(),
      AUTH_REDIS_PREFIX: `test:${randomBytes(5).toString('hex')}:`,
      // Every test client is 127.0.0.1: tests of the per-IP limits set their own.
      GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: '100000',
      GATEWAY_SIGNUP_RATE_LIMIT_PER_IP: '100000',
      ...env,
    });
    try {
      refuseDevelopmentDatabase(SERVICE_NAME, config.API_GATEWAY_DATABASE_URL);
    } catch (error) {
      await db.drop();
      throw error;
    }
    const root = AppModule.register(config);
    const module = imports.length ? { ...root, imports: [...(root.imports ?? []), ...imports] } : root;
    const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(httpServerOptions(config)), { logger: ['error'] });
    removeUnmountedClsEnhancers(app);
    await configureHttp(app, config);
    setupOpenApi(app);
    connectGatewayMessaging(app);
    await app.listen(0, '127.0.0.1');
    await app.startAllMicroservices();
    return new GatewayTestContext(app, await app.getUrl(), config, db, ownBusPrefix);
  }

  async close(): Promise<void> {
    await warnIfSlow(`closing ${SERVICE_NAME}`, () => this.app.close());
    await warnIfSlow(`dropping ${this.db.name}`, () => this.db.drop());
    if (this.ownBusPrefix) await deleteTestBus(this.ownBusPrefix, { rabbitmqUrl: this.config.RABBITMQ_URL });
  }

  request(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const { body, token, headers = {} } = options;
    return fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      // A Buffer goes as it is (a raw email, with its own content-type header); anything else as JSON.
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  }

  get(path: string, token?: string, headers?: Record<string, string>) {
    return this.request('GET', path, { token, headers });
  }

  post(path: string, body?: unknown, token?: string, headers?: Record<string, string>) {
    return this.request('POST', path, { body, token, headers });
  }

  patch(path: string, body?: unknown, token?: string, headers?: Record<string, string>) {
    return this.request('PATCH', path, { body, token, headers });
  }

  delete(path: string, token?: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, { token, headers });
  }

  /** A new tenant with its first admin. */
  async signup(overrides: Partial<{ organization: string; name: string; email: string; password: string }> = {}): Promise<SignedUp> {
    const email = overrides.email ?? `user${++this.counter}-${randomBytes(4).toString('hex')}@example.com`;
    const password = overrides.password ?? 'correct horse battery staple';
    const response = await this.post('/api/v1/auth/signup', { organization: 'Acme', name: 'Ada', email, password, ...overrides });
    if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as Omit<SignedUp, 'email' | 'password'>;
    return { email, password, ...body };
  }

  async login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const response = await this.post('/api/v1/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return (await response.json()) as { accessToken: string; refreshToken: string };
  }
}

/** Asserts an RFC 9457 problem with a correlation id and no stack trace; returns the body. */
export async function expectProblem(response: Response, status: number): Promise<Json> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const body = (await response.json()) as Json;
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), correlationId: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}
