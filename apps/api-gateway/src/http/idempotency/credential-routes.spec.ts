import { REDIS, type RedisClient } from '@crm/observability';
import { randomUUID } from 'node:crypto';
import { Database } from '../../infrastructure/database/database';
import { createOperator } from '../../platform/create-operator';
import { GatewayTestContext, Json } from '../../testing/gateway-test-app';

/**
 * Credential routes hand out token pairs: an Idempotency-Key there must not keep them in Redis
 * (24 h of plaintext tokens). The key is simply ignored: nothing stored, every request runs.
 */
describe('Idempotency-Key on credential routes (login, refresh, signup, operator login)', () => {
  let ctx: GatewayTestContext;
  let redis: RedisClient;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start();
    redis = ctx.app.get<RedisClient>(REDIS);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function storedIdempotencyKeys(): Promise<string[]> {
    const found: string[] = [];
    for await (const keys of redis.scanIterator({ MATCH: `${ctx.config.AUTH_REDIS_PREFIX}idempotency*`, COUNT: 500 })) found.push(...keys);
    return found;
  }

  const tokensOf = async (response: Response, status: number): Promise<{ accessToken: string; refreshToken: string }> => {
    expect(response.status).toBe(status);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    return body;
  };

  it('signup: stores nothing and runs every request with the key', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const first = await tokensOf(
      await ctx.post(
        '/api/v1/auth/signup',
        { organization: 'Acme', name: 'Ada', email: `a-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
        undefined,
        headers,
      ),
      201,
    );
    // Another body with the same key would be a 422 if the key were recorded.
    const second = await tokensOf(
      await ctx.post(
        '/api/v1/auth/signup',
        { organization: 'Acme', name: 'Bob', email: `b-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
        undefined,
        headers,
      ),
      201,
    );
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await storedIdempotencyKeys()).toEqual([]);
  });

  it('login: stores nothing and gives a fresh token pair for each request with the same key and body', async () => {
    const ada = await ctx.signup();
    const headers = { 'idempotency-key': randomUUID() };
    const body = { email: ada.email, password: ada.password };
    const first = await tokensOf(await ctx.post('/api/v1/auth/login', body, undefined, headers), 200);
    const second = await tokensOf(await ctx.post('/api/v1/auth/login', body, undefined, headers), 200);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await storedIdempotencyKeys()).toEqual([]);
  });

  it('operator login: stores nothing and gives a fresh access token for each request with the same key', async () => {
    const operator = { email: `ops-${randomUUID()}@example.com`, name: 'Ops', password: 'operator horse battery staple' };
    await createOperator(ctx.app.get(Database), operator);
    const headers = { 'idempotency-key': randomUUID() };
    const body = { email: operator.email, password: operator.password };
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await ctx.post('/api/v1/platform/auth/login', body, undefined, headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
      tokens.push(((await response.json()) as Json).accessToken);
    }
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(await storedIdempotencyKeys()).toEqual([]);
  });

  it('refresh: stores nothing and rotates on each request with the same key', async () => {
    const ada = await ctx.signup();
    const headers = { 'idempotency-key': randomUUID() };
    const first = await tokensOf(await ctx.post('/api/v1/auth/refresh', { refreshToken: ada.refreshToken }, undefined, headers), 200);
    const second = await tokensOf(await ctx.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }, undefined, headers), 200);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await storedIdempotencyKeys()).toEqual([]);
  });
});
