import { Body, Controller, Module, Patch, Post, Res } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { DomainError } from '@crm/contracts';
import { Public } from '@crm/observability';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { idempotentHandlers, routeHandlers } from './bind-idempotency';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/** How many times each test handler ran, by the `ref` of the body. */
const runs = new Map<string, number>();
const ran = (ref: string) => runs.set(ref, (runs.get(ref) ?? 0) + 1).get(ref) as number;

/** A handler that waits until the test lets it finish, so a second request can arrive while it runs. */
let gate: { started: Promise<void>; markStarted: () => void; finish: () => void; finished: Promise<void> };
function newGate() {
  let markStarted!: () => void;
  let finish!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const finished = new Promise<void>((resolve) => (finish = resolve));
  gate = { started, markStarted, finish, finished };
}

@Controller('test/idempotency')
class IdempotencyTestController {
  @Post('orders')
  @RequirePermission('diagnostics', 'read')
  create(@Body() body: { ref: string }, @Res({ passthrough: true }) reply: FastifyReply) {
    const run = ran(body.ref);
    void reply.header('location', `/test/idempotency/orders/${body.ref}-${run}`);
    return { ref: body.ref, run };
  }

  @Patch('orders')
  @RequirePermission('diagnostics', 'read')
  update(@Body() body: { ref: string }) {
    return { ref: body.ref, run: ran(body.ref) };
  }

  @Post('slow')
  @RequirePermission('diagnostics', 'read')
  async slow(@Body() body: { ref: string }) {
    const run = ran(body.ref);
    gate.markStarted();
    await gate.finished;
    return { ref: body.ref, run };
  }

  @Post('rejected')
  @RequirePermission('diagnostics', 'read')
  rejected(@Body() body: { ref: string }) {
    throw new DomainError('NOT_FOUND', `Nothing called ${body.ref} (run ${ran(body.ref)}).`);
  }

  @Post('crash')
  @RequirePermission('diagnostics', 'read')
  crash(@Body() body: { ref: string }) {
    throw new Error(`boom ${ran(body.ref)}`);
  }

  @Post('public')
  @Public()
  open(@Body() body: { ref: string }) {
    return { ref: body.ref, run: ran(body.ref) };
  }
}

@Module({ controllers: [IdempotencyTestController] })
class IdempotencyTestModule {}

describe('Idempotency-Key', () => {
  let ctx: GatewayTestContext;
  let ada: SignedUp;
  const key = () => ({ 'idempotency-key': randomUUID() });
  const ref = () => randomUUID();

  beforeAll(async () => {
    // Records outlive the test run only briefly in the shared Redis.
    ctx = await GatewayTestContext.start({ GATEWAY_IDEMPOTENCY_TTL_MS: '600000' }, [IdempotencyTestModule]);
    ada = await ctx.signup();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('runs the first request and replays its response (status, body, location) for a retry with the same key and body', async () => {
    const headers = key();
    const body = { ref: ref() };
    const first = await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = (await first.json()) as Json;
    expect(firstBody).toEqual({ ref: body.ref, run: 1 });

    const retry = await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await retry.json()).toEqual(firstBody);
    expect(runs.get(body.ref)).toBe(1);
  });

  it('accepts the key as a Structured Field string ("…") and applies to PATCH', async () => {
    const headers = { 'idempotency-key': `"${randomUUID()}"` };
    const body = { ref: ref() };
    expect((await ctx.patch('/test/idempotency/orders', body, ada.accessToken, headers)).status).toBe(200);
    const retry = await ctx.patch('/test/idempotency/orders', body, ada.accessToken, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.get(body.ref)).toBe(1);
  });

  it('runs every request that carries no key', async () => {
    const body = { ref: ref() };
    await ctx.post('/test/idempotency/orders', body, ada.accessToken);
    const second = await ctx.post('/test/idempotency/orders', body, ada.accessToken);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(runs.get(body.ref)).toBe(2);
  });

  it('answers 422 when the key is reused with a different body, without running the handler', async () => {
    const headers = key();
    const body = { ref: ref() };
    await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    const other = { ref: ref() };
    await expectProblem(await ctx.post('/test/idempotency/orders', other, ada.accessToken, headers), 422);
    expect(runs.get(other.ref)).toBeUndefined();
  });

  it('answers 409 while the first request with the key is still running, then replays once it is done', async () => {
    newGate();
    const headers = key();
    const body = { ref: ref() };
    const first = ctx.post('/test/idempotency/slow', body, ada.accessToken, headers);
    await gate.started;

    const concurrent = await expectProblem(await ctx.post('/test/idempotency/slow', body, ada.accessToken, headers), 409);
    expect(concurrent.detail).toMatch(/still being processed/);

    gate.finish();
    expect((await first).status).toBe(201);
    const retry = await ctx.post('/test/idempotency/slow', body, ada.accessToken, headers);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ ref: body.ref, run: 1 });
    expect(runs.get(body.ref)).toBe(1);
  });

  it('scopes keys to the user: another user with the same key and body runs the request', async () => {
    const grace = await ctx.signup();
    const headers = key();
    const body = { ref: ref() };
    await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    const theirs = await ctx.post('/test/idempotency/orders', body, grace.accessToken, headers);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await theirs.json()).toEqual({ ref: body.ref, run: 2 });
  });

  it('scopes keys to the path: the same key on another route runs that route', async () => {
    const headers = key();
    const body = { ref: ref() };
    await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    const elsewhere = await ctx.post('/test/idempotency/public', body, undefined, headers);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.headers.get('idempotent-replayed')).toBeNull();
    expect(runs.get(body.ref)).toBe(2);
  });

  it('replays on public routes too, scoped to the client address', async () => {
    const headers = key();
    const body = { ref: ref() };
    await ctx.post('/test/idempotency/public', body, undefined, headers);
    const retry = await ctx.post('/test/idempotency/public', body, undefined, headers);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.get(body.ref)).toBe(1);
  });

  it('stores a 4xx answer and replays it (the outcome is final)', async () => {
    const headers = key();
    const body = { ref: ref() };
    const first = await expectProblem(await ctx.post('/test/idempotency/rejected', body, ada.accessToken, headers), 404);
    const retry = await ctx.post('/test/idempotency/rejected', body, ada.accessToken, headers);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await expectProblem(retry, 404)).toEqual(first);
    expect(runs.get(body.ref)).toBe(1);
  });

  it('releases the key after a 5xx so the client can retry and the request runs again', async () => {
    const headers = key();
    const body = { ref: ref() };
    await expectProblem(await ctx.post('/test/idempotency/crash', body, ada.accessToken, headers), 500);
    const retry = await ctx.post('/test/idempotency/crash', body, ada.accessToken, headers);
    await expectProblem(retry, 500);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(runs.get(body.ref)).toBe(2);
  });

  it('answers 400 naming the header when the key is empty or longer than 255 characters, without running the handler', async () => {
    const body = { ref: ref() };
    for (const bad of ['', '""', 'k'.repeat(256)]) {
      const problem = await expectProblem(await ctx.post('/test/idempotency/orders', body, ada.accessToken, { 'idempotency-key': bad }), 400);
      expect(problem.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect(runs.get(body.ref)).toBeUndefined();
    expect((await ctx.post('/test/idempotency/orders', body, ada.accessToken, { 'idempotency-key': 'k'.repeat(255) })).status).toBe(201);
  });

  it('is bound to every POST and PATCH route and to nothing else: no route has a global interceptor', () => {
    const modules = ctx.app.get(ModulesContainer);
    const idempotent = new Set(idempotentHandlers(modules));
    // The gateway's own routes are there (creating a contact, updating a deal), not only this test's.
    expect(idempotent.size).toBeGreaterThan(40);
    const interceptors = (handler: object) => (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    for (const handler of idempotent) expect(interceptors(handler).filter((bound) => bound instanceof IdempotencyInterceptor)).toHaveLength(1);
    for (const { handler } of routeHandlers(modules)) {
      if (!idempotent.has(handler)) expect(interceptors(handler).some((bound) => bound instanceof IdempotencyInterceptor)).toBe(false);
    }
    expect(ctx.app.get(ApplicationConfig).getGlobalInterceptors()).toEqual([]);
  });

  it('never touches a key for a request refused by authentication', async () => {
    const headers = key();
    const body = { ref: ref() };
    await expectProblem(await ctx.post('/test/idempotency/orders', body, undefined, headers), 401);
    const real = await ctx.post('/test/idempotency/orders', body, ada.accessToken, headers);
    expect(real.status).toBe(201);
    expect(real.headers.get('idempotent-replayed')).toBeNull();
  });
});
