import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { testJwtKeys, testToken } from '@crm/testing';
import type { INestApplication } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { decodeJwt } from 'jose';
import type { EventEnvelope } from '@crm/contracts';
import {
  CallerVerifier,
  MessageContext,
  MessagingTransport,
  NoConsumersError,
  RemoteError,
  RpcCallContext,
  RpcClient,
  RpcTimeoutError,
  TopologyNames,
} from '../src';
import { itemCreated, labAdminOnly, labEcho, labFail, labGuarded, labJsonText, labRecord, labSlow, labWhoAmI } from './lab/lab.contracts';
import { LAB_CONTROL, LabControl } from './lab/lab.handlers';
import { LabWorld, newLabWorld } from './lab/fixture';
import { withRawChannel } from './lab/broker';

const caller = { tenantId: randomUUID(), userId: randomUUID(), roles: ['sales'] };
const token = testToken(caller);

describe('request/reply', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  it('answers a query through the service queue', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labEcho, { payload: 'hello' }, { token })).resolves.toEqual({ payload: 'hello', service: 'a' });
  });

  it('hands a reply on as the JSON it arrived in (callForJson), and its errors as typed errors still', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const client = (await world.publisher()).get(RpcClient);
    const { json, version } = await client.callForJson(labEcho, { payload: 'h\u00e9llo "quoted" {braces}' }, { token });
    expect(Buffer.isBuffer(json)).toBe(true);
    expect(JSON.parse(json.toString('utf8'))).toEqual({ payload: 'h\u00e9llo "quoted" {braces}', service: 'a' });
    expect(version).toBeUndefined();
    await expect(client.callForJson(labFail, { code: 'NOT_FOUND' }, { token })).rejects.toMatchObject({ constructor: RemoteError, code: 'NOT_FOUND' });
  });

  it('sends JSON text a handler wrote (JsonReply) as the data, as it is', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const client = (await world.publisher()).get(RpcClient);
    const items = ['h\u00e9llo', '"quoted" {braces}', ''];
    await expect(client.call(labJsonText, { items }, { token })).resolves.toEqual({ items });
    expect((await client.callForJson(labJsonText, { items }, { token })).json.toString('utf8')).toBe(`{"items":${JSON.stringify(items)}}`);
  });

  it("hands on a record's version beside its unread JSON (for an ETag), whether the handler answered an object or JSON text", async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const client = (await world.publisher()).get(RpcClient);
    for (const asText of [false, true]) {
      const relayed = await client.callForJson(labRecord, { version: 42, asText }, { token });
      expect({ data: JSON.parse(relayed.json.toString('utf8')), version: relayed.version }).toEqual({ data: { id: 'r1', version: 42 }, version: 42 });
      await expect(client.call(labRecord, { version: 7, asText }, { token })).resolves.toEqual({ id: 'r1', version: 7 });
    }
  });

  it("is a NestJS ClientProxy: send() reaches the handler with the current request's caller token", async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const publisher = await world.publisher();
    const client = publisher.get(RpcClient);
    const reply = publisher.get(MessageContext).run({ token }, () => lastValueFrom(client.send(labEcho.name, { payload: 'via send' })));
    await expect(reply).resolves.toEqual({ payload: 'via send', service: 'a' });
    await expect(lastValueFrom(client.send(labEcho.name, { payload: 'no token' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('surfaces a timeout as a typed error and never hangs', async () => {
    world = await newLabWorld();
    await world.consumer();
    const client = (await world.publisher()).get(RpcClient);
    const started = Date.now();
    const error = await client.call(labSlow, { ms: 2_000 }, { token, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).code).toBe('RPC_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('says at once when nobody consumes the queue', async () => {
    world = await newLabWorld();
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labEcho, { payload: 'x' }, { token, timeoutMs: 5_000 })).rejects.toBeInstanceOf(NoConsumersError);
  });

  describe('from a gateway, which routes requests by service', () => {
    const byService = { messaging: { rpc: { routeByService: true } } };

    it("reaches a service of the previous release, whose queue is bound by message name only (gateways upgraded first), at once and not at the call's timeout", async () => {
      world = await newLabWorld();
      const names = (await world.consumer({ instance: 'old' })).get(TopologyNames);
      await withRawChannel(world.env.rabbitmqUrl, (channel) => channel.unbindQueue(names.rpcQueue, names.serviceRequestExchange, names.rpcServiceKey));
      const client = (await world.publisher(byService)).get(RpcClient);
      const started = Date.now();
      const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => client.call(labEcho, { payload: `x${i}` }, { token, timeoutMs: 4_000 })));
      expect(replies).toEqual(Array.from({ length: 5 }, (_, i) => ({ payload: `x${i}`, service: 'old' })));
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('ends a call no queue is bound for at once with NoConsumersError, not at its timeout', async () => {
      world = await newLabWorld();
      const names = (await world.consumer()).get(TopologyNames);
      await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
        await channel.unbindQueue(names.rpcQueue, names.serviceRequestExchange, names.rpcServiceKey);
        await channel.unbindQueue(names.rpcQueue, names.requestExchange, names.rpcBindingKey);
      });
      const client = (await world.publisher(byService)).get(RpcClient);
      const started = Date.now();
      await expect(client.call(labEcho, { payload: 'x' }, { token, timeoutMs: 4_000 })).rejects.toBeInstanceOf(NoConsumersError);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });

  it('shares the load between two consumers of one queue', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    await world.consumer({ instance: 'b' });
    const client = (await world.publisher()).get(RpcClient);
    const replies = await Promise.all(Array.from({ length: 40 }, () => client.call(labSlow, { ms: 20 }, { token })));
    const byInstance = replies.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.instance]: (acc[r.instance] ?? 0) + 1 }), {});
    expect(Object.keys(byInstance).sort()).toEqual(['a', 'b']);
    expect(byInstance['a']).toBeGreaterThanOrEqual(5);
    expect(byInstance['b']).toBeGreaterThanOrEqual(5);
  });

  it("runs Nest's guards on message handlers: a refused request is a typed FORBIDDEN reply", async () => {
    world = await newLabWorld();
    await world.consumer();
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labGuarded, { open: true }, { token })).resolves.toEqual({ passed: true });
    await expect(client.call(labGuarded, { open: false }, { token })).rejects.toMatchObject({ constructor: RemoteError, code: 'FORBIDDEN' });
  });

  it('carries domain errors with their codes, validates requests, and hides internals', async () => {
    world = await newLabWorld();
    await world.consumer();
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labFail, { code: 'NOT_FOUND' }, { token })).rejects.toMatchObject({
      constructor: RemoteError,
      code: 'NOT_FOUND',
      message: 'lab says NOT_FOUND',
      details: { reason: 'test' },
    });
    const crash = (await client.call(labFail, { code: 'CRASH' }, { token }).catch((e: unknown) => e)) as RemoteError;
    expect(crash.code).toBe('INTERNAL');
    expect(JSON.stringify({ message: crash.message, details: crash.details })).not.toContain('secret');
    // The client sends as it is; the serving side checks the request against its contract, once,
    // and answers the one validation error (fields named in the message).
    await expect(client.call(labSlow, { ms: -1 } as never, { token })).rejects.toMatchObject({
      constructor: RemoteError,
      code: 'VALIDATION_FAILED',
      details: { errors: [{ field: 'ms', message: expect.any(String), code: 'too_small' }] },
    });
  });
});

describe('request/reply: tenant scope, enforced by the transport', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  it('admits a caller of a tenant holding a declared role, refuses the others, and never runs the handler without a tenant', async () => {
    world = await newLabWorld();
    const consumer = await world.consumer();
    const control = consumer.get<LabControl>(LAB_CONTROL);
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labAdminOnly, {}, { token: testToken({ ...caller, roles: ['admin'] }) })).resolves.toEqual({ tenantId: caller.tenantId });
    await expect(client.call(labAdminOnly, {}, { token })).rejects.toMatchObject({ constructor: RemoteError, code: 'FORBIDDEN' });

    // The bus never delivers a request without a verified tenant (the caller check runs first);
    // the transport refuses one all the same, before Nest's pipeline and the handler.
    const transport = consumer.get(MessagingTransport);
    const route = transport.rpc(labAdminOnly.name);
    expect(route?.scope).toEqual({ scope: 'tenant', roles: ['admin'] });
    await expect(route?.invoke({}, new RpcCallContext(undefined, 'c', 'r', labAdminOnly.name))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(control.handled).toBe(1);

    const event = transport.event(itemCreated.name);
    expect(event?.scope).toEqual({ scope: 'tenant' });
    await expect(event?.invoke({ itemId: 1 }, { tenantid: '' } as EventEnvelope)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(control.handled).toBe(1);
  });
});

describe('request/reply: the serving side verifies the caller', () => {
  let world: LabWorld;
  let publisher: INestApplication;
  let client: RpcClient;

  beforeAll(async () => {
    world = await newLabWorld();
    await world.consumer();
    publisher = await world.publisher();
    client = publisher.get(RpcClient);
  });
  afterAll(() => world?.close());

  const refused = (options: { token?: string }) =>
    client.call(labWhoAmI, {}, options).then(
      () => 'answered',
      (error: RemoteError) => error.code,
    );

  it("hands the handler the actor from the verified token's claims", async () => {
    await expect(client.call(labWhoAmI, {}, { token })).resolves.toMatchObject({ actor: caller });
  });

  it("continues the caller's correlation id and trace in the handler, carried in the request's body and not in AMQP headers", async () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    let answer: { correlationId: string; traceparent: string } | undefined;
    const request = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      // A copy of what the caller sends, from a queue of the test's own on the request exchange.
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, `${world.prefix}crm.requests`, labWhoAmI.name);
      answer = await publisher.get(MessageContext).run({ correlationId: 'corr-rpc-1', traceparent: parent }, () => client.call(labWhoAmI, {}, { token }));
      const copy = await channel.get(queue, { noAck: true });
      if (!copy) throw new Error('no copy of the request arrived');
      return copy;
    });
    expect(request.properties.headers ?? {}).toEqual({});
    const sent = JSON.parse(request.content.toString()) as { correlationId: string; traceparent: string };
    expect(sent.correlationId).toBe('corr-rpc-1');
    expect(answer?.correlationId).toBe('corr-rpc-1');
    // The caller's span is a child of `parent`, the handler's a child of the caller's: one trace.
    const [, sentTrace, sentSpan] = sent.traceparent.split('-');
    const [, handlerTrace, handlerSpan] = (answer?.traceparent ?? '').split('-');
    expect([sentTrace, handlerTrace]).toEqual(['0af7651916cd43dd8448eb211c80319c', '0af7651916cd43dd8448eb211c80319c']);
    expect(new Set(['b7ad6b7169203331', sentSpan, handlerSpan]).size).toBe(3);
  });

  it("sends no trace from outside a request (a job, a script): the handler starts one, with the call's correlation id", async () => {
    let answer: { correlationId: string; traceparent: string } | undefined;
    const request = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, `${world.prefix}crm.requests`, labWhoAmI.name);
      answer = await client.call(labWhoAmI, {}, { token });
      const copy = await channel.get(queue, { noAck: true });
      if (!copy) throw new Error('no copy of the request arrived');
      return copy;
    });
    const sent = JSON.parse(request.content.toString()) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['payload', 'token']);
    expect(answer?.correlationId).toBe(request.properties.correlationId);
    expect(answer?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('continues the correlation id a caller of the previous release sends in AMQP headers (a rolling deploy)', async () => {
    const reply = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, `${world.prefix}crm.replies`, queue);
      channel.publish(`${world.prefix}crm.requests`, labWhoAmI.name, Buffer.from(JSON.stringify({ payload: {}, token })), {
        correlationId: 'call-1',
        replyTo: queue,
        type: labWhoAmI.name,
        headers: { 'x-correlation-id': 'corr-from-headers' },
      });
      for (let tries = 0; tries < 100; tries++) {
        const message = await channel.get(queue, { noAck: true });
        if (message) return JSON.parse(message.content.toString()) as { ok: boolean; data: { correlationId: string } };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('no reply');
    });
    expect(reply).toMatchObject({ ok: true, data: { correlationId: 'corr-from-headers' } });
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    await expect(refused({})).resolves.toBe('UNAUTHENTICATED');
  });

  it('answers UNAUTHENTICATED for an expired token, a wrong issuer or audience, a foreign key or a non-RS256 header', async () => {
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(refused({ token: testToken(caller, { expiresInSeconds: -5 }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { issuer: 'someone-else' }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { audience: 'another-api' }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { claims: { aud: undefined } }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { privateKeyPem: forger }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { alg: 'PS256' }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: 'not.a.jwt' })).resolves.toBe('UNAUTHENTICATED');
  });

  it('refuses an operator token (no tenant) and unknown roles', async () => {
    await expect(refused({ token: testToken(caller, { claims: { tid: undefined, op: true } }) })).resolves.toBe('UNAUTHENTICATED');
    await expect(refused({ token: testToken(caller, { claims: { roles: ['root'] } }) })).resolves.toBe('UNAUTHENTICATED');
  });

  it('does not take an actor from the message body', async () => {
    // An old-style request: an actor in the body and no token.
    const forged = { ...labWhoAmI, request: labWhoAmI.request.passthrough() };
    await expect(
      client.call(forged, { actor: { tenantId: 'victim', userId: 'x', roles: ['admin'] } } as never).catch((e: RemoteError) => e.code),
    ).resolves.toBe('UNAUTHENTICATED');
  });
});

describe('CallerVerifier', () => {
  let jwks: Server;
  let jwksUrl: string;
  let fetches = 0;

  beforeAll(async () => {
    const jwk = { ...createPublicKey(testJwtKeys().publicKeyPem).export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' };
    jwks = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => jwks.close(resolve)));

  const verifierFor = (callers: { jwksUrl?: string; publicKeyPem?: string; cacheSize?: number; alsoTrusted?: unknown[] }) =>
    new CallerVerifier({
      callers: { jwksUrl: jwksUrl, issuer: 'crm-api-gateway', audience: 'crm-api', cacheSize: 10_000, alsoTrusted: [], ...callers },
    } as never);

  it("trusts another gateway's tokens under its own issuer and with its key only", async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const integrationKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const verifier = verifierFor({
      publicKeyPem: testJwtKeys().publicKeyPem,
      alsoTrusted: [{ issuer: 'crm-integration-gateway', jwksUrl, publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    });
    const integration = (privateKeyPem: string) => testToken(caller, { issuer: 'crm-integration-gateway', privateKeyPem });
    await expect(verifier.verify(integration(integrationKey))).resolves.toEqual(caller);
    // The API gateway's key does not sign for the integration gateway, nor the other way round.
    await expect(verifier.verify(integration(testJwtKeys().privateKeyPem))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(testToken(caller, { privateKeyPem: integrationKey }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(token)).resolves.toEqual(caller);
  });

  it("verifies against the gateway's JWKS, fetched once", async () => {
    const verifier = verifierFor({ jwksUrl });
    const before = fetches;
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    await expect(verifier.verify(testToken(caller))).resolves.toEqual(caller);
    expect(fetches - before).toBe(1);
  });

  it('remembers verified tokens, at most cacheSize of them, and never an expired one', async () => {
    const verifier = verifierFor({ publicKeyPem: testJwtKeys().publicKeyPem, cacheSize: 2 });
    const [a, b, c] = [0, 1, 2].map(() => testToken(caller));
    for (const t of [a, b, c]) await verifier.verify(t);
    expect(verifier.cacheSize).toBe(2);
    const shortLived = testToken(caller, { expiresInSeconds: 1 });
    await verifier.verify(shortLived);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(verifier.verify(shortLived)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers from what it remembers only for the very token it verified, not for one that ends alike', async () => {
    const verifier = verifierFor({ publicKeyPem: testJwtKeys().publicKeyPem });
    const token = testToken(caller);
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    // The remembered token's signature under another payload: the same last characters, another caller.
    const [header, , signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ ...decodeJwt(token), tid: 'another-tenant', roles: ['admin'] })).toString('base64url');
    await expect(verifier.verify(`${header}.${otherPayload}.${signature}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(token)).resolves.toEqual(caller);
  });
});
