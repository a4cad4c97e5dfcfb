import { testEnv } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { expectProblem, GatewayTestContext } from '../../testing/gateway-test-app';

/**
 * The commands Redis executes, as MONITOR reports them (a dedicated client), under this gateway's
 * key prefix: those a client sent, and those a Lua script ran (`[db lua]`).
 */
class RedisCommandLog {
  private lines: string[] = [];
  private waiting?: { marker: string; resolve: () => void };

  private constructor(
    private readonly monitor: RedisClientType,
    private readonly marker: RedisClientType,
  ) {}

  static async start(prefix: string): Promise<RedisCommandLog> {
    const url = (await testEnv()).redisUrl;
    const monitor: RedisClientType = await createClient({ url }).connect();
    const log = new RedisCommandLog(monitor, await createClient({ url }).connect());
    await monitor.monitor((line) => log.record(line, prefix));
    return log;
  }

  /** Runs `action`, then returns the commands it caused (waits for a marker command sent after it: no timing). */
  async during(action: () => Promise<void>): Promise<{ sent: string[]; inScripts: string[] }> {
    this.lines = [];
    await action();
    const marker = `marker-${randomUUID()}`;
    const seen = new Promise<void>((resolve) => (this.waiting = { marker, resolve }));
    await this.marker.echo(marker);
    await seen;
    const lua = /^\S+ \[\d+ lua\]/;
    return { sent: this.lines.filter((l) => !lua.test(l)), inScripts: this.lines.filter((l) => lua.test(l)) };
  }

  async close(): Promise<void> {
    this.monitor.destroy();
    this.marker.destroy();
  }

  private record(line: string, prefix: string): void {
    if (this.waiting && line.includes(this.waiting.marker)) return this.waiting.resolve();
    if (line.includes(prefix)) this.lines.push(line);
  }
}

describe('one Redis round trip per request', () => {
  let ctx: GatewayTestContext;
  let log: RedisCommandLog;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ GATEWAY_RATE_LIMIT_PER_USER: '3', GATEWAY_RATE_LIMIT_PER_TENANT: '100' });
    log = await RedisCommandLog.start(ctx.config.AUTH_REDIS_PREFIX);
  });

  afterAll(async () => {
    await log?.close();
    await ctx?.close();
  });

  it('a signed-in request: the revocation check and both limits in one script', async () => {
    const ada = await ctx.signup();
    // The first request may load the script into Redis (EVALSHA answered NOSCRIPT, then EVAL).
    expect((await ctx.get('/api/v1/auth/me', ada.accessToken)).status).toBe(200);

    const { sent, inScripts } = await log.during(async () => {
      const response = await ctx.get('/api/v1/auth/me', ada.accessToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-remaining')).toBe('1');
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/"evalsha"/i);
    for (const step of ['revoked-jti:', 'revoked-session:', 'user-tokens-revoked-at:', 'rate-limit:user:', 'rate-limit:tenant:']) {
      expect({ step, ran: inScripts.some((line) => line.includes(step)) }).toEqual({ step, ran: true });
    }
  });

  it('a refused request too (429), and a revoked token (401) without touching the limits', async () => {
    const ada = await ctx.signup();
    for (let i = 0; i < 3; i++) expect((await ctx.get('/api/v1/auth/me', ada.accessToken)).status).toBe(200);
    const over = await log.during(async () => void (await expectProblem(await ctx.get('/api/v1/auth/me', ada.accessToken), 429)));
    expect(over.sent).toHaveLength(1);
    // Over the user's limit: the tenant's budget is not spent.
    expect(over.inScripts.some((line) => line.includes('rate-limit:tenant:'))).toBe(false);

    const grace = await ctx.signup();
    expect((await ctx.post('/api/v1/auth/logout', undefined, grace.accessToken)).status).toBe(204);
    const revoked = await log.during(async () => void (await expectProblem(await ctx.get('/api/v1/auth/me', grace.accessToken), 401)));
    expect(revoked.sent).toHaveLength(1);
    expect(revoked.inScripts.some((line) => line.includes('rate-limit:'))).toBe(false);
  });

  it('a public route: its per-IP limit in one script', async () => {
    const refresh = () => ctx.post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(40) });
    await expectProblem(await refresh(), 401);
    const { sent, inScripts } = await log.during(async () => void (await expectProblem(await refresh(), 401)));
    expect(sent).toHaveLength(1);
    expect(inScripts.some((line) => line.includes('rate-limit:ip:public:'))).toBe(true);
  });
});
