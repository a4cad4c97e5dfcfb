import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import { Counter, register } from 'prom-client';
import {
  Actor,
  Company,
  Contact,
  createCompany,
  createContact,
  EventContract,
  EventData,
  EventEnvelope,
  fieldErrorsOf,
  RpcContract,
  RpcRequest,
  RpcResponse,
} from '@crm/contracts';
import { RemoteError, RpcClient } from '@crm/messaging';
import { deleteTestBus, startTestService, TestService, testBusPrefix, testEnv, testTokenFor } from '@crm/testing';
import { z } from 'zod';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * The contacts service as main.ts starts it (fresh database, real broker and Redis, its own bus
 * prefix), called over the bus like the gateway calls it, with every event it publishes captured.
 */
export class ContactsTestContext {
  /** Every event published since start, in arrival order. */
  readonly events: EventEnvelope[] = [];
  private counter = 0;

  private constructor(
    readonly service: TestService,
    private readonly prefix: string,
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.Channel,
    private readonly eventQueue: string,
  ) {}

  static async start(): Promise<ContactsTestContext> {
    const prefix = testBusPrefix();
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
      env: { BUS_NAME_PREFIX: prefix },
    });
    const connection = await amqplib.connect((await testEnv()).rabbitmqUrl);
    const channel = await connection.createChannel();
    const exchange = `${prefix}crm.events`;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const eventQueue = `${prefix}contacts-test.events`;
    await channel.assertQueue(eventQueue, { exclusive: true, autoDelete: true });
    await channel.bindQueue(eventQueue, exchange, '#');
    const ctx = new ContactsTestContext(service, prefix, connection, channel, eventQueue);
    await channel.consume(eventQueue, (msg) => msg && ctx.events.push(JSON.parse(msg.content.toString('utf8'))), { noAck: true });
    return ctx;
  }

  /** Stops the service, drops its database and deletes every queue and exchange the test declared. */
  async close(): Promise<void> {
    await this.service.close();
    await this.connection.close().catch(() => undefined);
    await deleteTestBus(this.prefix);
  }

  /** A user of a new tenant (no two tests share a tenant unless they mean to). */
  newActor(tenantId: string = randomUUID()): Actor {
    return { tenantId, userId: randomUUID(), roles: ['admin'] };
  }

  /** Calls as the gateway does: with a token for `actor` signed by the test key pair the service trusts (none without actor). */
  call<C extends RpcContract>(contract: C, payload: z.input<C['request']>, actor: Actor | undefined): Promise<RpcResponse<C>> {
    const token = actor && testTokenFor(actor);
    return this.service.app.get(RpcClient).call(contract, payload as RpcRequest<C>, { token, timeoutMs: 15_000 }) as Promise<RpcResponse<C>>;
  }

  /** Sends a payload as is: the client's own contract check is skipped, so the service's is what answers. */
  callUnchecked(contract: RpcContract, payload: unknown, actor: Actor | undefined): Promise<unknown> {
    const token = actor && testTokenFor(actor);
    return this.service.app.get(RpcClient).call({ ...contract, request: z.unknown() }, payload, { token, timeoutMs: 15_000 });
  }

  newCompany(actor: Actor, overrides: Partial<RpcRequest<typeof createCompany>['company']> = {}): Promise<Company> {
    return this.call(createCompany, { company: { name: `Company ${++this.counter}`, ...overrides } }, actor);
  }

  newContact(actor: Actor, overrides: Partial<RpcRequest<typeof createContact>['contact']> = {}, allowDuplicates = false): Promise<Contact> {
    const n = ++this.counter;
    return this.call(createContact, { contact: { firstName: `First${n}`, lastName: `Last${n}`, ...overrides }, allowDuplicates }, actor);
  }

  /** Publishes other services' events (in this order, with confirms) and waits until the service has handled each. */
  async deliver(...envelopes: EventEnvelope[]): Promise<void> {
    const before = await this.handled();
    const url = (await testEnv()).rabbitmqUrl;
    const publisher = await this.connection.createConfirmChannel();
    try {
      for (const envelope of envelopes) {
        publisher.publish(`${this.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
          persistent: true,
          // As the relay does: the broker checks it against this connection's user (shared with the service in tests).
          userId: decodeURIComponent(new URL(url).username) || 'guest',
          messageId: envelope.id,
          type: envelope.type,
          contentType: 'application/cloudevents+json',
          headers: { 'x-correlation-id': randomUUID() },
        });
      }
      await publisher.waitForConfirms();
    } finally {
      await publisher.close().catch(() => undefined);
    }
    for (;;) {
      const now = await this.handled();
      if (now.parked > before.parked) throw new Error('the service parked an event: see its log');
      if (now.done - before.done >= envelopes.length) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Deliveries this process's contacts consumer has finished with (applied or duplicate), and parked. */
  private async handled(): Promise<{ done: number; parked: number }> {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    const sum = (outcomes: string[]) =>
      values.filter((v) => v.labels['service'] === SERVICE_NAME && outcomes.includes(String(v.labels['outcome']))).reduce((a, v) => a + v.value, 0);
    return { done: sum(['applied', 'duplicate']), parked: sum(['park']) };
  }

  /** Waits until an event matching `match` has arrived (the outbox relay publishes after commit). */
  async event(match: (e: EventEnvelope) => boolean, waitMs = 10_000): Promise<EventEnvelope> {
    const until = Date.now() + waitMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching event among ${this.events.map((e) => e.type).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Asserts that a call failed with a domain error of `code`; returns the error for further checks. */
export async function expectRemoteError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}

/** The field paths a VALIDATION_FAILED error names. */
export function failedPaths(error: RemoteError): string[] {
  return fieldErrorsOf(error.details).map((issue) => issue.field);
}

/** An envelope as another service's outbox relay would publish it (`crm/<owning service>`). */
export function envelopeOf<C extends EventContract>(
  contract: C,
  data: EventData<C>,
  meta: { tenantId: string; subject: string; id?: string; version?: number },
): EventEnvelope {
  return {
    specversion: '1.0',
    id: meta.id ?? randomUUID(),
    source: `crm/${contract.service}`,
    type: contract.name,
    time: new Date().toISOString(),
    subject: meta.subject,
    datacontenttype: 'application/json',
    tenantid: meta.tenantId,
    ...(meta.version !== undefined && { entityversion: meta.version }),
    data,
  };
}
