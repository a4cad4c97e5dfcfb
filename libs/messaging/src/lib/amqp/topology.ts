import type { Channel } from 'amqplib';
import type { ResolvedMessagingOptions } from '../messaging.options';

/** Every exchange and queue name of one service, derived from its options. */
export class TopologyNames {
  readonly exchange: string;
  readonly workQueue: string;
  readonly parkingQueue: string;
  readonly rpcQueue: string;
  readonly retryQueues: { delayMs: number; queue: string }[];

  constructor(private readonly options: ResolvedMessagingOptions) {
    const p = options.namePrefix;
    this.exchange = `${p}${options.exchange}`;
    this.workQueue = `${p}${options.service}.events`;
    this.parkingQueue = `${p}${options.service}.events.parked`;
    this.rpcQueue = this.rpcQueueOf(options.service);
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

  retryQueueFor(retryIndex: number): string {
    const delay = this.options.retryDelaysMs[retryIndex];
    const found = this.retryQueues.find((q) => q.delayMs === delay);
    if (!found) throw new Error(`no retry queue for retry #${retryIndex}`);
    return found.queue;
  }
}

// Quorum queues dead-letter at-least-once only with reject-publish overflow (RabbitMQ >= 3.10);
// the default strategy republishes without confirms and can lose messages.
const atLeastOnceDeadLetter = (target: string) => ({
  'x-dead-letter-exchange': '',
  'x-dead-letter-routing-key': target,
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
});

/** Declares the events topology idempotently: exchange, work, retry and parking queues, bindings. */
export async function declareEventTopology(
  channel: Channel,
  names: TopologyNames,
  options: ResolvedMessagingOptions,
  routingKeys: string[],
): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  if (routingKeys.length === 0) return;
  await channel.assertQueue(names.parkingQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(names.workQueue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': options.deliveryLimit,
      ...atLeastOnceDeadLetter(names.parkingQueue),
    },
  });
  for (const { delayMs, queue } of names.retryQueues) {
    await channel.assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': delayMs, ...atLeastOnceDeadLetter(names.workQueue) },
    });
  }
  for (const key of routingKeys) await channel.bindQueue(names.workQueue, names.exchange, key);
}

/** The request queue of a service: durable; requests themselves are transient and expire. */
export function declareRpcQueue(channel: Channel, queue: string) {
  return channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
}
