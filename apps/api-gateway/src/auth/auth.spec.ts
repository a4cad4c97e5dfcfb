import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createFastifyAdapter } from '@crm/observability';
import { createTestDatabase, deleteTestBus, testBusPrefix, TestDatabase, testEnv } from '@crm/testing';
import { createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../app.config';
import { AppModule } from '../app.module';

const pem = (key: { export(o: object): string | Buffer }, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }).toString();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (response: Response): Promise<any> => response.json();
const ownKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ISSUER = 'crm-api-gateway';
const AUDIENCE = 'crm-api';
const MAX_ACCOUNT_FAILURES = 3;

function b64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A JWT signed by hand, so tests can forge, expire and tamper. */
function signJwt(payload: object, privateKey: Parameters<ReturnType<typeof createSign>['sign']>[0], header: object = { alg: 'RS256', typ: 'JWT' }): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** The service as main.ts starts it, against a fresh database, real Redis and the broker. */
describe('api-gateway authentication', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  const redisPrefix = `test:${randomBytes(5).toString('hex')}:`;
  const busPrefix = testBusPrefix();

  beforeAll(async () => {
    const env = await testEnv();
    db = await createTestDatabase('api-gateway');
    const config = AppConfig.load({
      API_GATEWAY_DATABASE_URL: db.url,
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: env.redisUrl,
      LOG_LEVEL: 'warn',
      AUTH_JWT_PRIVATE_KEY: pem(ownKeys.privateKey, 'pkcs8'),
      AUTH_JWT_PUBLIC_KEY: pem(ownKeys.publicKey, 'spki'),
      AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_ACCOUNT_FAILURES),
      // Every test signs up from 127.0.0.1: more than the default per-IP budget (public-rate-limit.spec tests it).
      GATEWAY_SIGNUP_RATE_LIMIT_PER_IP: '1000',
      AUTH_REDIS_PREFIX: redisPrefix,
      BUS_NAME_PREFIX: busPrefix,
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await deleteTestBus(busPrefix);
  });

  const post = (path: string, body?: unknown, token?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  let counter = 0;
  async function signup(overrides: Record<string, string> = {}) {
    const email = `user${++counter}-${randomBytes(3).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    const response = await post('/api/v1/auth/signup', { organization: 'Acme', name: 'Ada', email, password, ...overrides });
    expect(response.status).toBe(201);
    return { email, password, body: await json(response) };
  }

  async function expectProblem(response: Response, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = await json(response);
    expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), correlationId: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    return body;
  }

  it('runs the whole life cycle: signup, login, me, refresh, reuse detection, logout', async () => {
    const { email, password, body: created } = await signup();
    expect(created).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { email, name: 'Ada', roles: ['admin'] },
      tenant: { name: 'Acme' },
    });

    const login = await post('/api/v1/auth/login', { email: email.toUpperCase(), password });
    expect(login.status).toBe(200);
    const pair = await json(login);
    expect(pair).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    const [, payload] = pair.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ sub: created.user.id, tid: created.tenant.id, roles: ['admin'], jti: expect.any(String) });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);

    const me = await get('/api/v1/auth/me', pair.accessToken);
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ user: { id: created.user.id, email }, tenant: { id: created.tenant.id } });

    // Refresh: a new pair; the old refresh token is spent.
    const refreshed = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expect(refreshed.status).toBe(200);
    const next = await json(refreshed);
    expect(next.refreshToken).not.toBe(pair.refreshToken);
    expect((await get('/api/v1/auth/me', next.accessToken)).status).toBe(200);

    // Reuse of the spent one: 401, and the whole family (including the newest token) is revoked,
    // with every access token of that session.
    await expectProblem(await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken }), 401);
    await expectProblem(await post('/api/v1/auth/refresh', { refreshToken: next.refreshToken }), 401);
    await expectProblem(await get('/api/v1/auth/me', next.accessToken), 401);
    // Another login's family is untouched.
    const other = await json(await post('/api/v1/auth/login', { email, password }));
    const otherNext = await json(await post('/api/v1/auth/refresh', { refreshToken: other.refreshToken }));
    expect(otherNext.accessToken).toEqual(expect.any(String));
    const third = await json(await post('/api/v1/auth/login', { email, password }));

    // Logout: 204, then that access token is refused; other sessions' tokens still work.
    const logout = await post('/api/v1/auth/logout', undefined, otherNext.accessToken);
    expect(logout.status).toBe(204);
    await expectProblem(await get('/api/v1/auth/me', otherNext.accessToken), 401);
    expect((await get('/api/v1/auth/me', third.accessToken)).status).toBe(200);
  });

  it('refuses a deactivated user at once, with their tokens and their password', async () => {
    const { body: admin } = await signup();
    const email = `sales-${randomUUID()}@example.com`;
    const password = 'another long passphrase';
    const created = await post('/api/v1/users', { email, name: 'Sam', password, roles: ['sales'] }, admin.accessToken);
    expect(created.status).toBe(201);
    const userId = (await json(created)).id;
    const session = await json(await post('/api/v1/auth/login', { email, password }));
    expect((await get('/api/v1/auth/me', session.accessToken)).status).toBe(200);

    expect((await post(`/api/v1/users/${userId}/deactivate`, undefined, admin.accessToken)).status).toBe(200);
    await expectProblem(await get('/api/v1/auth/me', session.accessToken), 401);
    await expectProblem(await post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }), 401);
    await expectProblem(await post('/api/v1/auth/login', { email, password }), 401);

    // Reactivated: a new login works, the tokens issued before the deactivation stay refused.
    expect((await post(`/api/v1/users/${userId}/activate`, undefined, admin.accessToken)).status).toBe(200);
    const again = await json(await post('/api/v1/auth/login', { email, password }));
    expect((await get('/api/v1/auth/me', again.accessToken)).status).toBe(200);
    await expectProblem(await get('/api/v1/auth/me', session.accessToken), 401);
  });

  it('applies a role change at once: the old token is refused, a refreshed one carries the new roles', async () => {
    const { body: admin } = await signup();
    const email = `viewer-${randomUUID()}@example.com`;
    const password = 'another long passphrase';
    const userId = (await json(await post('/api/v1/users', { email, name: 'Val', password, roles: ['viewer'] }, admin.accessToken))).id;
    const session = await json(await post('/api/v1/auth/login', { email, password }));
    const patched = await fetch(`${base}/api/v1/users/${userId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({ roles: ['manager'] }),
    });
    expect(patched.status).toBe(200);
    await expectProblem(await get('/api/v1/auth/me', session.accessToken), 401);
    const refreshed = await json(await post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }));
    const claims = JSON.parse(Buffer.from(refreshed.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.roles).toEqual(['manager']);
    expect((await get('/api/v1/auth/me', refreshed.accessToken)).status).toBe(200);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const { email } = await signup();
    const wrongPassword = await expectProblem(await post('/api/v1/auth/login', { email, password: 'not the password' }), 401);
    const unknownEmail = await expectProblem(await post('/api/v1/auth/login', { email: `nobody-${randomUUID()}@example.com`, password: 'whatever' }), 401);
    const strip = ({ correlationId: _c, instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(wrongPassword)).toEqual(strip(unknownEmail));
    expect(wrongPassword.detail).toBe('Invalid email or password.');
  });

  it('throttles repeated failures on an account with 429 and Retry-After, even for the right password', async () => {
    const { email, password } = await signup();
    for (let i = 0; i < MAX_ACCOUNT_FAILURES; i++) {
      expect((await post('/api/v1/auth/login', { email, password: `wrong ${i}` })).status).toBe(401);
    }
    const throttled = await post('/api/v1/auth/login', { email, password });
    await expectProblem(throttled, 429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  describe('refuses bad access tokens with 401', () => {
    let claims: Record<string, unknown>;
    let valid: string;

    beforeAll(async () => {
      const { body } = await signup();
      valid = body.accessToken;
      const now = Math.floor(Date.now() / 1000);
      claims = { sub: body.user.id, tid: body.tenant.id, roles: ['admin'], jti: randomUUID(), iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
    });

    it('accepts a token signed by hand with the right key (the fixture is sound)', async () => {
      expect((await get('/api/v1/auth/me', signJwt(claims, ownKeys.privateKey))).status).toBe(200);
      expect((await get('/api/v1/auth/me', valid)).status).toBe(200);
    });

    it('verifies a token once, answers it from memory after, and still refuses it once it is revoked', async () => {
      const { body } = await signup();
      const verifications = jest.spyOn(Strategy as unknown as { JwtVerifier: (token: string) => void }, 'JwtVerifier');
      try {
        for (let i = 0; i < 3; i++) expect((await get('/api/v1/auth/me', body.accessToken)).status).toBe(200);
        expect(verifications).toHaveBeenCalledTimes(1);
        expect((await post('/api/v1/auth/logout', undefined, body.accessToken)).status).toBe(204);
        await expectProblem(await get('/api/v1/auth/me', body.accessToken), 401);
      } finally {
        verifications.mockRestore();
      }
    });

    it('refuses a revoked token with 401 on a route its role does not allow too (not 403: revocation comes first)', async () => {
      const { body } = await signup();
      // An operator's route: a tenant user's live token is forbidden there.
      await expectProblem(await post('/api/v1/platform/auth/logout', undefined, body.accessToken), 403);
      expect((await post('/api/v1/auth/logout', undefined, body.accessToken)).status).toBe(204);
      const refused = await expectProblem(await post('/api/v1/platform/auth/logout', undefined, body.accessToken), 401);
      expect(refused.detail).toBe('A valid access token is required.');
    });

    it.each([
      ['no token', () => undefined],
      ['garbage', () => 'not.a.token'],
      ['forged (signed with another key)', () => signJwt(claims, otherKeys.privateKey)],
      ['expired', () => signJwt({ ...claims, iat: Number(claims['iat']) - 3600, exp: Number(claims['iat']) - 60 }, ownKeys.privateKey)],
      ['alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`],
      [
        'HS256 with the public key as secret',
        () => {
          const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
          return `${input}.${createHmac('sha256', pem(ownKeys.publicKey, 'spki')).update(input).digest('base64url')}`;
        },
      ],
      [
        'tampered (roles changed after signing)',
        () => {
          const [header, , signature] = valid.split('.');
          const payload = JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString());
          return `${header}.${b64url({ ...payload, roles: ['admin', 'manager'], tid: randomUUID() })}.${signature}`;
        },
      ],
      ['another issuer', () => signJwt({ ...claims, iss: 'someone-else' }, ownKeys.privateKey)],
      ['another audience', () => signJwt({ ...claims, aud: 'another-api' }, ownKeys.privateKey)],
      ['no audience', () => signJwt({ ...claims, aud: undefined }, ownKeys.privateKey)],
      ['claims of neither a user nor an operator (no tenant)', () => signJwt({ ...claims, tid: undefined }, ownKeys.privateKey)],
    ])('%s', async (_case, token) => {
      // Through passport-jwt: every token presented reaches its verification step (none is cached).
      const verifications = jest.spyOn(Strategy as unknown as { JwtVerifier: (token: string) => void }, 'JwtVerifier');
      try {
        const presented = token();
        const body = await expectProblem(await get('/api/v1/auth/me', presented), 401);
        expect(body.detail).toBe('A valid access token is required.');
        if (presented !== undefined) expect(verifications).toHaveBeenCalledWith(presented, expect.anything(), expect.anything(), expect.any(Function));
        else expect(verifications).not.toHaveBeenCalled();
      } finally {
        verifications.mockRestore();
      }
    });
  });

  it('reports validation errors as 400 problem+json naming each field', async () => {
    const response = await post('/api/v1/auth/signup', { organization: '', email: 'not-an-email', password: 'short' });
    const body = await expectProblem(response, 400);
    const fields = (body.errors as { field: string; message: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'name', 'organization', 'password']);
    for (const error of body.errors) expect(error.message).toEqual(expect.any(String));
  });

  it('never tells at sign-up whether an email exists: the same email creates another organisation', async () => {
    const { email, body: first } = await signup();
    const second = await post('/api/v1/auth/signup', { organization: 'Other', name: 'Bob', email, password: 'another long password' });
    expect(second.status).toBe(201);
    expect((await json(second)).tenant.id).not.toBe(first.tenant.id);
  });

  it('publishes its public key at /.well-known/jwks.json', async () => {
    const response = await get('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const { keys } = await json(response);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    expect(keys[0].d).toBeUndefined();
  });

  it('guards every other route, and answers unknown ones with a problem', async () => {
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(404); // internal port only
    await expectProblem(await get('/api/v1/auth/me'), 401);
    await expectProblem(await post('/api/v1/auth/logout'), 401);
  });
});

describe('api-gateway with sign-up disabled', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const busPrefix = testBusPrefix();

  beforeAll(async () => {
    const env = await testEnv();
    db = await createTestDatabase('api-gateway');
    const config = AppConfig.load({
      API_GATEWAY_DATABASE_URL: db.url,
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: env.redisUrl,
      LOG_LEVEL: 'warn',
      AUTH_SIGNUP_ENABLED: 'false',
      BUS_NAME_PREFIX: busPrefix,
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await deleteTestBus(busPrefix);
  });

  it('answers 403 problem+json', async () => {
    const response = await fetch(`${await app.getUrl()}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'Acme', name: 'Ada', email: 'ada@example.com', password: 'correct horse battery staple' }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
