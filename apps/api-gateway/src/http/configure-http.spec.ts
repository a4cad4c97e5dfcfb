import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { Public } from '@crm/observability';
import { expectProblem, GatewayTestContext } from '../testing/gateway-test-app';

const APP_ORIGIN = 'https://app.example.com';
const BODY_LIMIT = 2_048;

@Public()
@Controller('test/http')
class HttpTestController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body };
  }

  @Get('ping')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [HttpTestController] })
class HttpTestModule {}

describe('HTTP edge: security headers, CORS, body limit', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ GATEWAY_CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.com`, GATEWAY_BODY_LIMIT_BYTES: String(BODY_LIMIT) }, [
      HttpTestModule,
    ]);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const preflight = (origin: string) =>
    fetch(`${ctx.base}/test/http/echo`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, idempotency-key' },
    });

  it('sets security headers on API responses, with a CSP that loads nothing', async () => {
    const response = await ctx.get('/test/http/ping');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('sets them on error responses too', async () => {
    const response = await ctx.get('/test/http/nowhere');
    await expectProblem(response, 404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives the docs pages a policy that lets Swagger UI run (inline styles and scripts) and nothing else', async () => {
    const response = await ctx.get('/docs');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("default-src 'none'");
  });

  it('answers a CORS preflight from an allowed origin, exposing the headers clients need', async () => {
    const response = await preflight(APP_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();

    const actual = await ctx.get('/test/http/ping', undefined, { origin: APP_ORIGIN });
    expect(actual.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const exposed = actual.headers.get('access-control-expose-headers') ?? '';
    for (const name of ['x-correlation-id', 'retry-after', 'ratelimit-remaining', 'idempotent-replayed', 'location', 'etag']) expect(exposed).toContain(name);
  });

  it('gives a foreign origin no CORS permission', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await ctx.get('/test/http/ping', undefined, { origin: 'https://evil.example.net' });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts a body up to the limit and answers 413 problem+json above it', async () => {
    expect((await ctx.post('/test/http/echo', { text: 'x'.repeat(BODY_LIMIT - 100) })).status).toBe(201);
    const problem = await expectProblem(await ctx.post('/test/http/echo', { text: 'x'.repeat(BODY_LIMIT) }), 413);
    expect(problem.title).toBe('Payload Too Large');
  });
});

describe('HTTP edge without CORS origins configured', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({}, [HttpTestModule]);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('sends no CORS headers at all', async () => {
    const response = await ctx.get('/test/http/ping', undefined, { origin: 'https://app.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
