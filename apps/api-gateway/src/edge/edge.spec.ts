import { Controller, Get, Module, Param } from '@nestjs/common';
import { Actor, actorSchema, ContractViolation, defineQuery, diagnosticsEcho, DomainError, ERROR_CODES } from '@crm/contracts';
import { deleteTestBus, startTestResponder, TestCall, testBusPrefix, testEnv } from '@crm/testing';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CurrentActor } from '../authz/current-actor.decorator';
import { RequirePermission } from '../authz/require-permission.decorator';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';
import { ServiceBus } from './service-bus';

// --- test-only messages: a contacts handler that shows what arrived, and one that fails on demand.

const probeContext = defineQuery('contacts.edge-probe.context', 1, {
  request: z.object({}),
  response: z.object({ actor: actorSchema.optional(), correlationId: z.string(), token: z.string().optional() }),
});
const probeFailure = defineQuery('contacts.edge-probe.failure', 1, {
  request: z.object({ kind: z.string() }),
  response: z.object({}),
});

/** Contacts' side, without the contacts app: a DB-less responder answers the echo and the probes. */
const contactsStandIn = {
  [diagnosticsEcho('contacts').name]: (request: unknown) => ({ payload: (request as { payload: string }).payload, service: 'contacts' }),
  [probeContext.name]: (_request: unknown, call: TestCall) => ({ actor: call.actor, correlationId: call.correlationId, token: call.token }),
  [probeFailure.name]: (request: unknown) => {
    const { kind } = request as { kind: string };
    if (kind === 'contract') throw new ContractViolation(probeFailure.name, [{ path: 'name', message: 'Required' }]);
    if (kind === 'crash') throw new Error('secret stack of the contacts service');
    if (!(ERROR_CODES as readonly string[]).includes(kind)) throw new Error(`unknown kind ${kind}`);
    const details = kind === 'VALIDATION_FAILED' ? { errors: [{ field: 'email', message: 'Invalid email' }] } : undefined;
    throw new DomainError(kind as DomainError['code'], `probe says ${kind}`, details);
  },
};

/** Gateway side: routes that call the probe messages through the edge caller, as feature routes will. */
@Controller('test/edge-probe')
class EdgeProbeController {
  constructor(private readonly bus: ServiceBus) {}

  @Get('context')
  @RequirePermission('diagnostics', 'read')
  context(@CurrentActor() actor: Actor) {
    return this.bus.call(probeContext, {}, actor);
  }

  /** The service's reply relayed as the JSON text it arrived in (serializeReply). */
  @Get('context-relayed')
  @RequirePermission('diagnostics', 'read')
  contextRelayed(@CurrentActor() actor: Actor) {
    return this.bus.relay(probeContext, {}, actor);
  }

  /** A call made for an actor other than the request's caller (as a background job would): the gateway signs its token. */
  @Get('context-as-system')
  @RequirePermission('diagnostics', 'read')
  contextAsSystem(@CurrentActor() actor: Actor) {
    return this.bus.call(probeContext, {}, { tenantId: actor.tenantId, userId: 'system', roles: ['viewer'] });
  }

  @Get('failure/:kind')
  @RequirePermission('diagnostics', 'read')
  failure(@Param('kind') kind: string, @CurrentActor() actor: Actor) {
    return this.bus.call(probeFailure, { kind }, actor);
  }
}

@Module({ controllers: [EdgeProbeController] })
class EdgeProbeModule {}

const echoPath = (service: string, payload: string) => `/api/v1/diagnostics/${service}/echo?payload=${encodeURIComponent(payload)}`;

/** Nothing about the bus's inside (queue names, message names, prefixes, stacks) in a problem body. */
function expectNoInternals(body: Json, prefix: string): void {
  const { instance: _path, ...rest } = body; // the request's own path may name anything
  const text = JSON.stringify(rest);
  expect(text).not.toContain(prefix);
  expect(text).not.toMatch(/\.rpc\b|\.v1\b|edge-probe|secret|stack/);
}

describe('gateway edge: routes call services over the bus', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix, GATEWAY_RPC_TIMEOUT_MS: '300' }, [EdgeProbeModule]);
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  describe('with the contacts service running', () => {
    let contacts: Awaited<ReturnType<typeof startTestResponder>>;

    beforeAll(async () => {
      contacts = await startTestResponder({ service: 'contacts', busPrefix: prefix, handlers: contactsStandIn });
    });

    afterAll(() => contacts?.close());

    it('echoes through the contacts service', async () => {
      const response = await ctx.get(echoPath('contacts', 'hello there'), admin.accessToken);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ payload: 'hello there', service: 'contacts' });
    });

    it('hands the service the caller as actor and the request correlation id', async () => {
      const correlationId = randomUUID();
      const response = await ctx.get('/test/edge-probe/context', admin.accessToken, { 'x-correlation-id': correlationId });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        correlationId,
        actor: { tenantId: admin.tenant.id, userId: admin.user.id, roles: ['admin'] },
      });
    });

    it("relays a service's reply as the JSON it sent, with the JSON content type", async () => {
      const response = await ctx.get('/test/edge-probe/context-relayed', admin.accessToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toMatchObject({ actor: { tenantId: admin.tenant.id, userId: admin.user.id, roles: ['admin'] }, correlationId: expect.any(String) });
    });

    it("forwards the caller's own access token, which the service verifies", async () => {
      const response = await ctx.get('/test/edge-probe/context', admin.accessToken);
      expect(response.status).toBe(200);
      expect(((await response.json()) as Json).token).toBe(admin.accessToken);
    });

    it('signs a short-lived token for a call made for another actor', async () => {
      const response = await ctx.get('/test/edge-probe/context-as-system', admin.accessToken);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      expect(body.actor).toEqual({ tenantId: admin.tenant.id, userId: 'system', roles: ['viewer'] });
      expect(body.token).not.toBe(admin.accessToken);
    });

    it('answers a NOT_FOUND from the service with 404 and its message', async () => {
      const body = await expectProblem(await ctx.get('/test/edge-probe/failure/NOT_FOUND', admin.accessToken), 404);
      expect(body).toMatchObject({ type: 'urn:crm:problem:not-found', detail: 'probe says NOT_FOUND' });
    });

    it('answers a VALIDATION_FAILED from the service with 400 naming its fields', async () => {
      const body = await expectProblem(await ctx.get('/test/edge-probe/failure/VALIDATION_FAILED', admin.accessToken), 400);
      expect(body).toMatchObject({ detail: 'The request is invalid.', errors: [{ field: 'email', message: 'Invalid email' }] });
    });

    it("answers the service's own contract check with 400 naming the fields, not the message type", async () => {
      const body = await expectProblem(await ctx.get('/test/edge-probe/failure/contract', admin.accessToken), 400);
      expect(body.errors).toEqual([{ field: 'name', message: 'Required' }]);
      expectNoInternals(body, prefix);
    });

    it('keeps the status of the other domain codes (409, 429)', async () => {
      await expectProblem(await ctx.get('/test/edge-probe/failure/CONFLICT', admin.accessToken), 409);
      await expectProblem(await ctx.get('/test/edge-probe/failure/RATE_LIMITED', admin.accessToken), 429);
    });

    it("answers a failure inside the service with 502 and none of the service's details", async () => {
      const body = await expectProblem(await ctx.get('/test/edge-probe/failure/crash', admin.accessToken), 502);
      expect(body.detail).toBeUndefined();
      expectNoInternals(body, prefix);
    });
  });

  describe('when a consumer takes the request but never replies', () => {
    let connection: amqp.ChannelModel;

    beforeAll(async () => {
      connection = await amqp.connect((await testEnv()).rabbitmqUrl);
      const channel = await connection.createChannel();
      // Declared exactly as the library declares a service's request queue (topology.ts).
      const queue = `${prefix}contacts.rpc`;
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
      await channel.assertExchange(`${prefix}crm.requests`, 'topic', { durable: true });
      await channel.assertExchange(`${prefix}crm.requests.by-service`, 'direct', { durable: true });
      await channel.bindQueue(queue, `${prefix}crm.requests`, 'contacts.#');
      await channel.bindQueue(queue, `${prefix}crm.requests.by-service`, 'contacts');
      await channel.consume(queue, () => undefined, { noAck: false });
    });

    afterAll(() => connection?.close());

    // The test's own timeout is the "never hangs" check: the route gives up after GATEWAY_RPC_TIMEOUT_MS (300 ms).
    it('answers 504 once the route timeout has passed', async () => {
      const body = await expectProblem(await ctx.get(echoPath('contacts', 'anyone?'), admin.accessToken), 504);
      expect(body.type).toBe('urn:crm:problem:upstream-timeout');
      expectNoInternals(body, prefix);
    }, 3_000);
  });

  describe('when nobody consumes the service queue', () => {
    it('answers 503 with Retry-After', async () => {
      const response = await ctx.get(echoPath('analytics', 'anyone?'), admin.accessToken);
      const body = await expectProblem(response, 503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expectNoInternals(body, prefix);
    });
  });

  describe('the diagnostics echo route', () => {
    it('refuses a caller without a token with 401', async () => {
      await expectProblem(await ctx.get(echoPath('contacts', 'hello')), 401);
    });

    it('answers 404 for a service it does not know, without declaring a queue for it', async () => {
      const body = await expectProblem(await ctx.get(echoPath('billing', 'hello'), admin.accessToken), 404);
      expect(body.type).toBe('urn:crm:problem:not-found');
      const connection = await amqp.connect((await testEnv()).rabbitmqUrl);
      try {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined); // the broker closes the channel of a failed check
        await expect(channel.checkQueue(`${prefix}billing.rpc`)).rejects.toThrow(/NOT_FOUND/);
      } finally {
        await connection.close().catch(() => undefined);
      }
    });

    it('answers 400 naming payload when it is missing', async () => {
      const body = await expectProblem(await ctx.get('/api/v1/diagnostics/contacts/echo', admin.accessToken), 400);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'payload' })]);
    });
  });
});
