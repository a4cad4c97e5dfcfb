import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import type { ErrorReply, RpcContract } from '@crm/contracts';

export type CallOutcome = { ok: true; data: unknown } | { ok: false; error: ErrorReply } | { ok: false; timedOut: true };

/**
 * Calls a service over the bus exactly as the gateway's RpcClient does (request exchange, reply
 * exchange, a reply queue of its own), from outside any Nest app: the test's load generator.
 * Every call ends with one outcome: the first reply, or a timeout.
 */
export class BusCaller {
  private readonly pending = new Map<string, (outcome: CallOutcome) => void>();
  /** Replies to requests already answered (or timed out): a redelivered request answered again. */
  extraReplies = 0;

  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.Channel,
    private readonly prefix: string,
    private readonly replyQueue: string,
  ) {}

  static async connect(url: string, prefix: string): Promise<BusCaller> {
    const connection = await amqplib.connect(url, { noDelay: true });
    const channel = await connection.createChannel();
    await channel.assertExchange(`${prefix}crm.requests`, 'topic', { durable: true });
    await channel.assertExchange(`${prefix}crm.replies`, 'direct', { durable: true });
    const replyQueue = `${prefix}loadgen.replies.${randomUUID()}`;
    await channel.assertQueue(replyQueue, { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(replyQueue, `${prefix}crm.replies`, replyQueue);
    const caller = new BusCaller(connection, channel, prefix, replyQueue);
    await channel.consume(replyQueue, (msg) => msg && caller.onReply(msg), { noAck: true });
    return caller;
  }

  /** `requestId`: the id a caller retries with (AMQP messageId); copies sent with one id are one request to the service. */
  call(contract: RpcContract, payload: unknown, token: string, timeoutMs: number, requestId?: string): Promise<CallOutcome> {
    const correlationId = randomUUID();
    return new Promise<CallOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        resolve({ ok: false, timedOut: true });
      }, timeoutMs);
      this.pending.set(correlationId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.channel.publish(`${this.prefix}crm.requests`, contract.name, Buffer.from(JSON.stringify({ payload, token })), {
        correlationId,
        messageId: requestId,
        replyTo: this.replyQueue,
        type: contract.name,
        contentType: 'application/json',
        expiration: String(timeoutMs),
      });
    });
  }

  private onReply(msg: amqplib.ConsumeMessage): void {
    const settle = this.pending.get(msg.properties.correlationId);
    if (!settle) {
      this.extraReplies++; // a second reply to the same request, or a late one
      return;
    }
    this.pending.delete(msg.properties.correlationId);
    settle(JSON.parse(msg.content.toString('utf8')) as CallOutcome);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
