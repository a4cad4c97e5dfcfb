import { randomUUID } from 'node:crypto';
import type { Channel } from 'amqplib';
import type { ResolvedMessagingOptions } from '../messaging.options';

/** Every exchange and queue name of one service, derived from its options. */
export class TopologyNames {
  readonly exchange: string;
  readonly workQueue: string;
  readonly parkingQueue: string;
  readonly rpcQueue: string;
  readonly retryQueues: { delayMs: number; queue: string }[];
  /**
   * Requests go through a topic exchange (routing key = the message name, whose first segment is
   * the owning service), replies through a direct one, and retries and parking through the
   * service's own direct exchange: never through the default exchange, whose write permission
   * would let a service write to any queue (another service's request queue included). That
   * keeps every route expressible in RabbitMQ permissions (tools/bus-users.sh).
   */
  readonly requestExchange: string;
  /**
   * The same requests routed by the owning service's name alone (a direct exchange), for callers
   * allowed to send every request (the gateways, `rpc.routeByService`): RabbitMQ checks topic
   * permissions on topic exchanges only, so only they may write here, and they skip the topic
   * match, which cost the broker ~15 us of its ~85 us per call here (RabbitMQ 3.10, alternated runs).
   */
  readonly serviceRequestExchange: string;
  readonly replyExchange: string;
  readonly redeliveryExchange: string;
  /** The request queue's binding on the request exchange: every message the service owns. */
  readonly rpcBindingKey: string;
  /** Its binding on the service request exchange: the service's name. */
  readonly rpcServiceKey: string;

  constructor(private readonly options: ResolvedMessagingOptions) {
    const p = options.namePrefix;
    this.exchange = `${p}${options.exchange}`;
    this.workQueue = `${p}${options.service}.events`;
    this.parkingQueue = `${p}${options.service}.events.parked`;
    this.rpcQueue = this.rpcQueueOf(options.service);
    this.requestExchange = `${p}crm.requests`;
    this.serviceRequestExchange = `${p}crm.requests.by-service`;
    this.replyExchange = `${p}crm.replies`;
    this.redeliveryExchange = `${p}${options.service}.events.redelivery`;
    this.rpcBindingKey = `${options.service}.#`;
    this.rpcServiceKey = options.service;
    // The delay is part of the name: changing the delays declares new queues instead of
    // failing with PRECONDITION_FAILED on queues whose arguments differ.
    this.retryQueues = [...new Set(options.retryDelaysMs)].map((delayMs) => ({
      delayMs,
      queue: `${p}${options.service}.events.retry.${delayMs}ms`,
    }));
  }

  rpcQueueOf(service: string): string {
    return `${this.options.namePrefix}${service}.rpc`;
  }

  /** A reply queue of this process (exclusive): named under the service so permissions can grant it. */
  newReplyQueue(): string {
    return `${this.options.namePrefix}${this.options.service}.replies.${randomUUID()}`;
  }

  retryQueueFor(retryIndex: number): string {
    const delay = this.options.retryDelaysMs[retryIndex];
    const found = this.retryQueues.find((q) => q.delayMs === delay);
    if (!found) throw new Error(`no retry queue for retry #${retryIndex}`);
    return found.queue;
  }
}

// Quorum queues dead-letter at-least-once only with reject-publish overflow (RabbitMQ >= 3.10);
// the default strategy republishes without confirms and can lose messages. Dead letters go
// through the service's redelivery exchange (declaring a dead-letter exchange needs write on it).
const atLeastOnceDeadLetter = (names: TopologyNames, target: string) => ({
  'x-dead-letter-exchange': names.redeliveryExchange,
  'x-dead-letter-routing-key': target,
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
});

/** Declares the events topology idempotently: exchange, work, retry and parking queues, bindings. */
export async function declareEventTopology(channel: Channel, names: TopologyNames, options: ResolvedMessagingOptions, routingKeys: string[]): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  if (routingKeys.length === 0) return;
  await channel.assertExchange(names.redeliveryExchange, 'direct', { durable: true });
  await channel.assertQueue(names.parkingQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(names.workQueue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': options.deliveryLimit,
      ...atLeastOnceDeadLetter(names, names.parkingQueue),
    },
  });
  for (const { delayMs, queue } of names.retryQueues) {
    await channel.assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': delayMs, ...atLeastOnceDeadLetter(names, names.workQueue) },
    });
  }
  // Each queue of the service is reachable on its redelivery exchange by its own name.
  for (const queue of [names.workQueue, names.parkingQueue, ...names.retryQueues.map((q) => q.queue)]) {
    await channel.bindQueue(queue, names.redeliveryExchange, queue);
  }
  for (const key of routingKeys) await channel.bindQueue(names.workQueue, names.exchange, key);
}

/** The request queue of a service: durable; requests themselves are transient and expire. */
export function declareRpcQueue(channel: Channel, queue: string) {
  return channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
}

/** The exchanges requests and replies travel through (idempotent). */
export async function declareRpcExchanges(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.requestExchange, 'topic', { durable: true });
  await channel.assertExchange(names.serviceRequestExchange, 'direct', { durable: true });
  await channel.assertExchange(names.replyExchange, 'direct', { durable: true });
}
