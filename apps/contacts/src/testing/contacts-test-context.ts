import { randomUUID } from 'node:crypto';
import {
  Actor,
  Company,
  Contact,
  createCompany,
  createContact,
  EventEnvelope,
  fieldErrorsOf,
  RpcContract,
  RpcRequest,
  RpcResponse,
} from '@crm/contracts';
import { RemoteError, RpcClient } from '@crm/messaging';
import { deleteTestBus, startTestService, TestEventBus, TestService, testBusPrefix, testEnv, testTokenFor } from '@crm/testing';
import { PrismaPg } from '@prisma/adapter-pg';
import { z } from 'zod';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { PrismaClient } from '../generated/prisma/client';
import { DatabasePool } from '../infrastructure/database/database-pool';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * The contacts service as main.ts starts it (fresh database, real broker and Redis, its own bus
 * prefix), called over the bus like the gateway calls it, with every event it publishes captured.
 */
export class ContactsTestContext {
  private counter = 0;
  private prismaClient?: PrismaClient;

  private constructor(
    readonly service: TestService,
    private readonly prefix: string,
    /** Other services' events delivered to this one, and what this one publishes. */
    readonly bus: TestEventBus,
  ) {}

  static async start(): Promise<ContactsTestContext> {
    const prefix = testBusPrefix();
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
      env: { BUS_NAME_PREFIX: prefix },
    });
    const bus = await TestEventBus.connect({ rabbitmqUrl: (await testEnv()).rabbitmqUrl, prefix, service: SERVICE_NAME });
    return new ContactsTestContext(service, prefix, bus);
  }

  /**
   * The Prisma model over the service's own pool, for the table specs that check the SQL paths
   * against it. The service itself runs no Prisma client; schema.prisma stays the source of truth.
   */
  get prisma(): PrismaClient {
    return (this.prismaClient ??= new PrismaClient({ adapter: new PrismaPg(this.service.app.get(DatabasePool).pool) }));
  }

  /** Stops the service, drops its database and deletes every queue and exchange the test declared. */
  async close(): Promise<void> {
    await this.prismaClient?.$disconnect();
    await this.service.close();
    await this.bus.close();
    await deleteTestBus(this.prefix);
  }

  /** Every event published since start, in arrival order. */
  get events(): EventEnvelope[] {
    return this.bus.published;
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
  deliver(...envelopes: EventEnvelope[]): Promise<void> {
    return this.bus.deliver(...envelopes);
  }

  /** Waits until an event matching `match` has arrived (the outbox relay publishes after commit). */
  event(match: (e: EventEnvelope) => boolean, waitMs = 10_000): Promise<EventEnvelope> {
    return this.bus.event(match, waitMs);
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
