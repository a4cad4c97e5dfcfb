import { Inject, Injectable } from '@nestjs/common';
import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import { AmqpConnections } from '../amqp/amqp-connections';
import { TopologyNames } from '../amqp/topology';
import { HEADERS } from '../consumer/headers';
import { headerString } from '../context/message-context';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessagingMetrics } from '../metrics/messaging.metrics';

export interface ParkedMessage {
  /** The event id (AMQP message id) when known. */
  id: string;
  type: string;
  /** CloudEvents attributes read from the envelope, when the body is one. */
  source?: string;
  /**
   * The tenant the message belongs to: the envelope's `tenantid` (and the tenant header, when
   * the library sets one; the two must agree). Undefined when it cannot be read.
   */
  tenantId?: string;
  subject?: string;
  time?: string;
  reason: string;
  error?: string;
  retries: number;
  parkedAt?: string;
  /** The body as received, cut to 4 KiB (`get` returns it whole, up to 1 MiB). */
  body: string;
}

/**
 * Which parked messages a caller may see: with `tenantId`, only those whose tenant can be read
 * and is that one (a message whose tenant cannot be read is never shown to a tenant).
 */
export interface ParkedMessageFilter {
  tenantId?: string;
}

/** Re-driving needs the work queue: sent to a queue that does not exist, messages would be dropped silently. */
export class WorkQueueMissingError extends Error {
  readonly code = 'WORK_QUEUE_MISSING';
  constructor(readonly queue: string) {
    super(`work queue ${queue} does not exist (has the service ever started?)`);
    this.name = 'WorkQueueMissingError';
  }
}

/** One service's parking queue and the work queue its messages are re-driven to. */
export interface ServiceParking {
  count(): Promise<number>;
  list(limit?: number, filter?: ParkedMessageFilter): Promise<ParkedMessage[]>;
  /** One parked message by id with its whole body; undefined when absent or filtered out. */
  get(id: string, filter?: ParkedMessageFilter): Promise<ParkedMessage | undefined>;
  redrive(ids?: string[], filter?: ParkedMessageFilter): Promise<{ redriven: number }>;
}

/**
 * The service's dead-letter queue: messages that failed every retry or can never be handled.
 * Operators list them and, once the cause is fixed, re-drive them to the work queue.
 * `forService(name)` addresses another service's queues (an operator console in the gateway).
 */
@Injectable()
export class ParkingLot implements ServiceParking {
  private readonly own: ServiceParking;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly metrics: MessagingMetrics,
  ) {
    this.own = new QueueParking(options.service, names, connections, metrics);
  }

  count(): Promise<number> {
    return this.own.count();
  }

  /** Reads without removing: every message taken is returned to the queue when the channel closes. */
  list(limit = 100, filter?: ParkedMessageFilter): Promise<ParkedMessage[]> {
    return this.own.list(limit, filter);
  }

  get(id: string, filter?: ParkedMessageFilter): Promise<ParkedMessage | undefined> {
    return this.own.get(id, filter);
  }

  /**
   * Sends parked messages back to the work queue with a fresh retry budget: all of them, or
   * those whose ids are given. Each is removed from the parking queue only after the broker
   * confirmed its copy in the work queue.
   */
  redrive(ids?: string[], filter?: ParkedMessageFilter): Promise<{ redriven: number }> {
    return this.own.redrive(ids, filter);
  }

  /**
   * Another service's parking lot, its queue names derived exactly as that service derives them
   * (same name prefix). A queue that does not exist yet reads as empty. Callers must restrict
   * `service` to known names: it becomes part of a queue name.
   */
  forService(service: string): ServiceParking {
    if (service === this.options.service) return this.own;
    return new QueueParking(service, new TopologyNames({ ...this.options, service }), this.connections, this.metrics);
  }
}

class QueueParking implements ServiceParking {
  constructor(
    private readonly service: string,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly metrics: MessagingMetrics,
  ) {}

  async count(): Promise<number> {
    return (await this.messageCount(this.names.parkingQueue)) ?? 0;
  }

  async list(limit = 100, filter?: ParkedMessageFilter): Promise<ParkedMessage[]> {
    const found: ParkedMessage[] = [];
    await this.scan((msg) => {
      const parked = describe(msg, LISTED_BODY_BYTES);
      if (matches(parked, filter)) found.push(parked);
      return found.length < limit;
    });
    return found;
  }

  async get(id: string, filter?: ParkedMessageFilter): Promise<ParkedMessage | undefined> {
    let found: ParkedMessage | undefined;
    await this.scan((msg) => {
      const parked = describe(msg, FULL_BODY_BYTES);
      if (parked.id === id && matches(parked, filter)) found = parked;
      return found === undefined;
    });
    return found;
  }

  /**
   * Reads the parking queue without removing anything: `visit` sees each message once, at most
   * the messages there at the start, until it returns false; all go back to the queue.
   */
  private async scan(visit: (msg: GetMessage) => boolean): Promise<void> {
    const before = await this.messageCount(this.names.parkingQueue);
    if (!before) return;
    await this.withChannel(async (channel) => {
      for (let seen = 0; seen < before; seen++) {
        const msg = await channel.get(this.names.parkingQueue, { noAck: false });
        if (!msg || !visit(msg)) break;
      }
      // Put them back, and return only once they are back: a quorum queue requeues
      // asynchronously, and a count right after a listing must not see them missing.
      channel.nackAll(true);
      for (let waited = 0; waited < 2_000; waited += 20) {
        if ((await channel.checkQueue(this.names.parkingQueue)).messageCount >= before) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
  }

  async redrive(ids?: string[], filter?: ParkedMessageFilter): Promise<{ redriven: number }> {
    const total = await this.messageCount(this.names.parkingQueue);
    if (!total) return { redriven: 0 };
    if ((await this.messageCount(this.names.workQueue)) === undefined) throw new WorkQueueMissingError(this.names.workQueue);
    const wanted = ids ? new Set(ids) : undefined;
    return this.withChannel(async (channel) => {
      let redriven = 0;
      for (let seen = 0; seen < total; seen++) {
        const msg = await channel.get(this.names.parkingQueue, { noAck: false });
        if (!msg) break;
        const parked = describe(msg, 0);
        if ((wanted && !wanted.has(parked.id)) || !matches(parked, filter)) continue; // returned to the queue on close
        const headers = { ...msg.properties.headers };
        for (const name of [HEADERS.retries, HEADERS.parkedReason, HEADERS.parkedAt, HEADERS.lastError, 'x-death']) delete headers[name];
        headers[HEADERS.redrivenAt] = new Date().toISOString();
        // The broker refuses a user-id that is not the re-driving connection's: the validated
        // publisher travels in the header the consumer reads on redelivered copies instead.
        const { userId, ...properties } = msg.properties;
        if (headers[HEADERS.publisher] === undefined && userId !== undefined) headers[HEADERS.publisher] = userId;
        // Through the service's redelivery exchange, where its work queue is bound by name: no
        // write on the default exchange (which reaches every queue) is needed.
        channel.publish(this.names.redeliveryExchange, this.names.workQueue, msg.content, { ...properties, headers, persistent: true });
        await channel.waitForConfirms();
        channel.ack(msg);
        redriven++;
      }
      this.metrics.redriven.inc({ service: this.service }, redriven);
      return { redriven };
    });
  }

  /** Messages in a queue, or undefined when it does not exist (the failed check closes only its own channel). */
  private messageCount(queue: string): Promise<number | undefined> {
    return this.withChannel(async (channel) => {
      try {
        return (await channel.checkQueue(queue)).messageCount;
      } catch (error) {
        if ((error as { code?: unknown }).code === 404) return undefined;
        throw error;
      }
    });
  }

  private async withChannel<T>(fn: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const connection = this.connections.consumer.connection;
    if (!connection) throw new Error('not connected to the broker');
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      return await fn(channel);
    } finally {
      await (channel as Channel).close().catch(() => undefined);
    }
  }
}

const LISTED_BODY_BYTES = 4096;
const FULL_BODY_BYTES = 1_048_576;
/** Headers that may carry the tenant of a message (none is required; the envelope is read first). */
const TENANT_HEADERS = ['x-crm-tenant-id', 'x-tenant-id', 'tenantid'];

function matches(parked: ParkedMessage, filter: ParkedMessageFilter | undefined): boolean {
  return filter?.tenantId === undefined || (parked.tenantId !== undefined && parked.tenantId === filter.tenantId);
}

function describe(msg: GetMessage, bodyBytes: number): ParkedMessage {
  const headers = msg.properties.headers ?? {};
  const envelope = envelopeOf(msg.content);
  return {
    id: msg.properties.messageId ?? headerString(headers, 'message-id') ?? '',
    type: msg.properties.type ?? envelope.type ?? 'unknown',
    source: envelope.source,
    tenantId: tenantOf(envelope.tenantid, headers),
    subject: envelope.subject,
    time: envelope.time,
    reason: headerString(headers, HEADERS.parkedReason) ?? (headers['x-death'] ? 'delivery-limit' : 'unknown'),
    error: headerString(headers, HEADERS.lastError),
    retries: Number(headers[HEADERS.retries] ?? 0),
    parkedAt: headerString(headers, HEADERS.parkedAt),
    body: msg.content.toString('utf8').slice(0, bodyBytes),
  };
}

/** String attributes of a CloudEvents envelope; none when the body is not JSON or not an object. */
function envelopeOf(content: Buffer): Partial<Record<'type' | 'source' | 'tenantid' | 'subject' | 'time', string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const record = parsed as Record<string, unknown>;
  const attributes: Partial<Record<'type' | 'source' | 'tenantid' | 'subject' | 'time', string>> = {};
  for (const name of ['type', 'source', 'tenantid', 'subject', 'time'] as const) {
    const value = record[name];
    if (typeof value === 'string' && value.length > 0) attributes[name] = value;
  }
  return attributes;
}

/** The envelope's tenant, confirmed by any tenant header; undefined when missing or when they disagree. */
function tenantOf(fromEnvelope: string | undefined, headers: Record<string, unknown>): string | undefined {
  const fromHeaders = TENANT_HEADERS.map((name) => headerString(headers, name)).filter((value): value is string => !!value);
  const candidates = new Set([...(fromEnvelope ? [fromEnvelope] : []), ...fromHeaders]);
  return candidates.size === 1 ? [...candidates][0] : undefined;
}
