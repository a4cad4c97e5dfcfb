import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import * as amqp from 'amqplib';
import { Kysely, sql } from 'kysely';
import { testEnv, TestEnv, testKysely, testRedis, TestRedis } from '@crm/testing';
import { LocalSystem } from '../support/local-system';
import { ROOT } from '../support/workspace';
import { ApiClient, eventually, expectProblem, Json, summary } from './api-client';

/*
 * Issue 9's security walls, proven on the whole system as `npm run start:all` runs it, driven over
 * the public HTTP API (and, where the wall is the broker or a database, looked at there):
 * sessions that really end, a login throttle that holds under concurrency, parked messages
 * behind the tenant wall with a platform operator for all of them, and an erasure that reaches
 * a merged duplicate in every database, the outbox and Redis.
 */
const READY_WAIT_MS = 240_000;
const CATCH_UP_MS = 20_000;
const PASSWORD = 'correct horse battery staple';
const OPERATOR_PASSWORD = 'operator horse battery staple';
/** The account throttle this file starts the gateway with. */
const MAX_FAILURES = 5;

const run = promisify(execFile);

/** What this file reads in the services' databases: the catalog's list of tables, and the gateway's sign-in audit. */
interface Observed {
  'information_schema.tables': { table_schema: string; table_name: string; table_type: string };
  sign_in_audit: { email: string; outcome: string };
}

describe('security walls end to end (issue 9)', () => {
  let env: TestEnv;
  let system: LocalSystem;
  let redis: TestRedis;
  let api: ApiClient;
  const A = { token: '', tenantId: '', email: '', refreshToken: '' };
  const B = { token: '', tenantId: '', email: '' };

  const databaseUrl = (app: string) => Object.assign(new URL(env.postgresUrl), { pathname: `/${system.databases[app]}` }).toString();

  async function withDatabase<T>(app: string, fn: (db: Kysely<Observed>) => Promise<T>): Promise<T> {
    const db = testKysely<Observed>(databaseUrl(app));
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }

  /** Rows of any table, in any schema the app's database has, whose text holds `needle` (as `schema.table: n`). */
  async function rowsHolding(app: string, needle: string): Promise<string[]> {
    return withDatabase(app, async (db) => {
      const tables = await db
        .selectFrom('information_schema.tables')
        .select(['table_schema as schema', 'table_name as name'])
        .where('table_type', '=', 'BASE TABLE')
        .where('table_schema', 'not in', ['pg_catalog', 'information_schema'])
        .execute();
      const found: string[] = [];
      for (const { schema, name } of tables) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(schema, name)} t WHERE t::text ILIKE ${`%${needle}%`}`.execute(db);
        if (rows[0].n > 0) found.push(`${schema}.${name}: ${rows[0].n}`);
      }
      return found;
    });
  }

  /** Redis keys under this run's gateway prefix whose value holds `needle` (any type, read raw). */
  async function redisHolding(needle: string): Promise<string[]> {
    const raw = await redis.raw();
    try {
      const found: string[] = [];
      for (const key of await redis.keys()) {
        const type = await raw.type(key);
        const value =
          type === 'string'
            ? await raw.get(key)
            : type === 'hash'
              ? JSON.stringify(await raw.hGetAll(key))
              : type === 'set'
                ? JSON.stringify(await raw.sMembers(key))
                : '';
        if (value?.toLowerCase().includes(needle.toLowerCase())) found.push(key);
      }
      return found;
    } finally {
      raw.destroy();
    }
  }

  async function signup(organization: string) {
    const email = `admin-${randomUUID()}@example.com`;
    const res = await api.post('/api/v1/auth/signup', { organization, name: `${organization} Admin`, email, password: PASSWORD });
    expect(summary(res)).toMatchObject({ status: 201 });
    return { token: res.body.accessToken as string, refreshToken: res.body.refreshToken as string, tenantId: res.body.tenant.id as string, email };
  }

  beforeAll(async () => {
    env = await testEnv();
    redis = await testRedis();
    system = new LocalSystem(env, 'sec');
    await system.start({
      AUTH_REDIS_PREFIX: redis.prefix,
      AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_FAILURES),
      // Every request comes from 127.0.0.1: the per-IP failure budget must outlast the 50 wrong logins.
      AUTH_LOGIN_MAX_FAILURES_PER_IP: '1000',
    });
    await system.waitUntilReady(READY_WAIT_MS);
    api = new ApiClient(system.url('api-gateway'));
    Object.assign(A, await signup('Alpha Security'));
    Object.assign(B, await signup('Beta Security'));
  }, READY_WAIT_MS + 60_000);

  afterAll(async () => {
    await system?.stop(45_000);
    await system?.cleanup();
    await redis?.cleanup();
  }, 180_000);

  it('logout ends the session: the refresh token of that login is refused (401), and so is the access token', async () => {
    const login = await api.post('/api/v1/auth/login', { email: A.email, password: PASSWORD });
    expect(summary(login)).toMatchObject({ status: 200 });
    const { accessToken, refreshToken } = login.body;
    expect((await api.get('/api/v1/auth/me', accessToken)).status).toBe(200);

    expect((await api.post('/api/v1/auth/logout', {}, accessToken)).status).toBe(204);
    expectProblem(await api.post('/api/v1/auth/refresh', { refreshToken }), 401);
    expectProblem(await api.get('/api/v1/auth/me', accessToken), 401);
    // Another session of the same user is untouched.
    expect((await api.get('/api/v1/auth/me', A.token)).status).toBe(200);
  });

  it('50 concurrent wrong passwords for one account: at most the allowed number are checked, the rest 429', async () => {
    const email = `target-${randomUUID()}@example.com`;
    const created = await api.post('/api/v1/users', { email, name: 'Target', password: PASSWORD, roles: ['viewer'] }, A.token);
    expect(summary(created)).toMatchObject({ status: 201 });

    const answers = await Promise.all(Array.from({ length: 50 }, () => api.post('/api/v1/auth/login', { email, password: 'wrong password, surely' })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50 - MAX_FAILURES);
    // The audit trail: every password the gateway checked is one invalid_credentials row.
    const checked = await withDatabase(
      'api-gateway',
      async (db) =>
        (
          await db
            .selectFrom('sign_in_audit')
            .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
            .where('email', '=', email)
            .where('outcome', '=', 'invalid_credentials')
            .executeTakeFirstOrThrow()
        ).n,
    );
    expect(checked).toBeLessThanOrEqual(MAX_FAILURES);
    // The right password is refused too while the account is locked.
    expect((await api.post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(429);
  });

  describe('parked messages behind the tenant wall', () => {
    const parkingQueue = () => `${system.busPrefix}analytics.events.parked`;
    const ofA = randomUUID();
    const ofB = randomUUID();

    /** A message as the messaging library parks it, about a person of `tenantId`. */
    function parked(id: string, tenantId: string, name: string) {
      const envelope = {
        specversion: '1.0',
        id,
        type: 'contacts.contact.created.v1',
        source: 'crm/contacts',
        time: new Date().toISOString(),
        tenantid: tenantId,
        subject: randomUUID(),
        data: { firstName: name, emails: [{ address: `${name.toLowerCase()}@example.com` }] },
      };
      return {
        content: Buffer.from(JSON.stringify(envelope)),
        options: {
          persistent: true,
          messageId: id,
          type: envelope.type,
          contentType: 'application/json',
          headers: {
            'x-crm-retries': 5,
            'x-crm-last-error': 'handler failed',
            'x-crm-parked-reason': 'retries-exhausted',
            'x-crm-parked-at': new Date().toISOString(),
          },
        },
      };
    }

    beforeAll(async () => {
      const connection = await amqp.connect(env.rabbitmqUrl);
      try {
        const channel = await connection.createConfirmChannel();
        await channel.checkQueue(parkingQueue()); // analytics declared it at start
        for (const m of [parked(ofA, A.tenantId, 'Annabel'), parked(ofB, B.tenantId, 'Bartholomew')]) {
          channel.sendToQueue(parkingQueue(), m.content, m.options);
        }
        await channel.waitForConfirms();
      } finally {
        await connection.close();
      }
    });

    it("tenant A's admin sees and re-drives only A's parked message, never B's", async () => {
      const path = '/api/v1/operations/services/analytics/parked';
      const listed = await api.get(path, A.token);
      expect(summary(listed)).toMatchObject({ status: 200 });
      const ids = (listed.body.data as Json[]).map((m) => m.id);
      expect(ids).toContain(ofA);
      expect(ids).not.toContain(ofB);
      expect(JSON.stringify(listed.body)).not.toContain('Bartholomew');

      expectProblem(await api.get(`${path}/${ofB}`, A.token), 404);
      const byId = await api.get(`${path}/${ofA}`, A.token);
      expect(summary(byId)).toMatchObject({ status: 200, body: { id: ofA } });

      expect(summary(await api.post(`${path}/redrive`, { ids: [ofB] }, A.token))).toMatchObject({ status: 200, body: { redriven: 0 } });
      // B's admin sees B's only.
      const ofBList = await api.get(path, B.token);
      expect((ofBList.body.data as Json[]).map((m) => m.id)).toEqual([ofB]);
    });

    it('the platform operator (made by the command-line tool, not by any HTTP route) lists every tenant without personal data, and reads one by id', async () => {
      const email = `ops-${randomUUID()}@example.com`;
      await run('npm', ['run', '--silent', 'operator:create', '--', '--email', email, '--name', 'Platform Ops'], {
        cwd: ROOT,
        env: { ...process.env, OPERATOR_PASSWORD, API_GATEWAY_DATABASE_URL: databaseUrl('api-gateway') },
      });
      const login = await api.post('/api/v1/platform/auth/login', { email, password: OPERATOR_PASSWORD });
      expect(summary(login)).toMatchObject({ status: 200 });
      const operator = login.body.accessToken as string;

      const path = '/api/v1/platform/services/analytics/parked';
      const listed = await api.get(path, operator);
      expect(summary(listed)).toMatchObject({ status: 200 });
      const ids = (listed.body.data as Json[]).map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining([ofA, ofB]));
      expect(JSON.stringify(listed.body)).not.toMatch(/Annabel|Bartholomew/);
      const one = await api.get(`${path}/${ofB}`, operator);
      expect(summary(one)).toMatchObject({ status: 200, body: { id: ofB } });
      expect(JSON.stringify(one.body)).toContain('Bartholomew');

      // The walls between the two identities.
      expectProblem(await api.get(path, A.token), 403);
      expect([401, 403]).toContain((await api.get('/api/v1/contacts', operator)).status);
      expect((await api.get('/api/v1/operations/services/analytics/parked', operator)).status).toBeGreaterThanOrEqual(401);
    });
  });

  it('merge B into A, erase A: the duplicate is gone everywhere (API, every database, the outbox, Redis, analytics)', async () => {
    const surname = `Zephyrine${randomUUID().slice(0, 8)}`;
    const survivor = await api.post(
      '/api/v1/contacts',
      { firstName: 'Quillon', lastName: surname, emails: [{ address: `${surname}.one@example.com` }], phones: [{ number: '+44 20 7946 0958' }] },
      A.token,
    );
    expect(summary(survivor)).toMatchObject({ status: 201 });
    // The duplicate is created with an Idempotency-Key: its response (with the person) is stored in Redis.
    const duplicate = await api.post(
      '/api/v1/contacts',
      { firstName: 'Quill', lastName: surname, emails: [{ address: `${surname}.two@example.com` }], allowDuplicates: true },
      A.token,
      { 'idempotency-key': randomUUID() },
    );
    expect(summary(duplicate)).toMatchObject({ status: 201 });
    const duplicateId = duplicate.body.id as string;
    expect(summary(await api.post(`/api/v1/contacts/${duplicateId}/interactions`, { channel: 'note', subject: `About ${surname}` }, A.token))).toMatchObject({
      status: 201,
    });
    expect(await redisHolding(surname)).not.toEqual([]);

    const merged = await api.post(`/api/v1/contacts/${survivor.body.id}/merge`, { mergedId: duplicateId }, A.token, {
      'if-match': `"${survivor.body.version}"`,
    });
    expect(summary(merged)).toMatchObject({ status: 200 });
    // Analytics has heard of both before the erasure (so the erasure must reach a copy that exists).
    await eventually(
      () => rowsHolding('analytics', duplicateId),
      (rows) => rows.length > 0,
      CATCH_UP_MS,
    );

    expect(summary(await api.post(`/api/v1/contacts/${survivor.body.id}/erase`, {}, A.token))).toMatchObject({ status: 200 });

    for (const id of [survivor.body.id, duplicateId]) {
      expectProblem(await api.get(`/api/v1/contacts/${id}`, A.token), 404);
      expectProblem(await api.get(`/api/v1/contacts/${id}/export`, A.token), 404);
      expectProblem(await api.post(`/api/v1/contacts/${id}/restore`, {}, A.token), 404);
    }
    expect((await api.get(`/api/v1/contacts?q=${surname}&includeDeleted=true`, A.token)).body.data).toEqual([]);

    // Nothing in contacts' database (records, words, outbox, jobs) holds the person, at once.
    expect(await rowsHolding('contacts', surname)).toEqual([]);
    // The gateway's stored Idempotency-Key responses and analytics' copies go through the erased events.
    const redisLeft = await eventually(
      () => redisHolding(surname),
      (keys) => keys.length === 0,
      CATCH_UP_MS,
    );
    expect(redisLeft).toEqual([]);
    const analyticsLeft = await eventually(
      async () => [...(await rowsHolding('analytics', surname)), ...(await rowsHolding('analytics', `${surname}.two`))],
      (rows) => rows.length === 0,
      CATCH_UP_MS,
    );
    expect(analyticsLeft).toEqual([]);
    expect(await rowsHolding('api-gateway', surname)).toEqual([]);
  });

  it('answered no request with a 5xx', () => {
    expect(api.serverErrors()).toEqual([]);
  });
});
