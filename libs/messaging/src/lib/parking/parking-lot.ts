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
  reason: string;
  error?: string;
  retries: number;
  parkedAt?: string;
  /** The body as received, cut to 4 KiB. */
  body: string;
}

/**
 * The service's dead-letter queue: messages that failed every retry or can never be handled.
 * Operators list them and, once the cause is fixed, re-drive them to the work queue.
 */
@Injectable()
export class ParkingLot {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly metrics: MessagingMetrics,
  ) {}

  async count(): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(this.names.parkingQueue)).messageCount);
  }

  /** Reads without removing: every message taken is returned to the queue when the channel closes. */
  async list(limit = 100): Promise<ParkedMessage[]> {
    return this.withChannel(async (channel) => {
      const found: ParkedMessage[] = [];
      while (found.length < limit) {
        const msg = await channel.get(this.names.parkingQueue, { noAck: false });
        if (!msg) break;
        found.push(describe(msg));
      }
      return found;
    });
  }

  /**
   * Sends parked messages back to the work queue with a fresh retry budget: all of them, or
   * those whose ids are given. Each is removed from the parking queue only after the broker
   * confirmed its copy in the work queue.
   */
  async redrive(ids?: string[]): Promise<{ redriven: number }> {
    const wanted = ids ? new Set(ids) : undefined;
    return this.withChannel(async (channel) => {
      const total = (await channel.checkQueue(this.names.parkingQueue)).messageCount;
      let redriven = 0;
      for (let seen = 0; seen < total; seen++) {
        const msg = await channel.get(this.names.parkingQueue, { noAck: false });
        if (!msg) break;
        if (wanted && !wanted.has(describe(msg).id)) continue; // returned to the queue on close
        const headers = { ...msg.properties.headers };
        for (const name of [HEADERS.retries, HEADERS.parkedReason, HEADERS.parkedAt, HEADERS.lastError, 'x-death']) delete headers[name];
        headers[HEADERS.redrivenAt] = new Date().toISOString();
        channel.sendToQueue(this.names.workQueue, msg.content, { ...msg.properties, headers, persistent: true });
        await channel.waitForConfirms();
        channel.ack(msg);
        redriven++;
      }
      this.metrics.redriven.inc({ service: this.options.service }, redriven);
      return { redriven };
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

function describe(msg: GetMessage): ParkedMessage {
  const headers = msg.properties.headers ?? {};
  return {
    id: msg.properties.messageId ?? headerString(headers, 'message-id') ?? '',
    type: msg.properties.type ?? 'unknown',
    reason: headerString(headers, HEADERS.parkedReason) ?? (headers['x-death'] ? 'delivery-limit' : 'unknown'),
    error: headerString(headers, HEADERS.lastError),
    retries: Number(headers[HEADERS.retries] ?? 0),
    parkedAt: headerString(headers, HEADERS.parkedAt),
    body: msg.content.toString('utf8').slice(0, 4096),
  };
}
