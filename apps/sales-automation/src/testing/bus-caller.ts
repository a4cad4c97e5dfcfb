import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import type { ErrorReply, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';

export type CallOutcome<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorReply } | { ok: false; timedOut: true };

/**
 * Calls a service over the bus as the gateway's RpcClient does (request exchange, reply exchange,
 * a reply queue of its own), from outside any app: a test's caller of services in child processes.
 */
export class BusCaller {
  private readonly pending = new Map<string, (outcome: CallOutcome) => void>();

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
    const replyQueue = `${prefix}test-caller.replies.${randomUUID()}`;
    await channel.assertQueue(replyQueue, { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(replyQueue, `${prefix}crm.replies`, replyQueue);
    const caller = new BusCaller(connection, channel, prefix, replyQueue);
    await channel.consume(replyQueue, (msg) => msg && caller.onReply(msg), { noAck: true });
    return caller;
  }

  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, token: string, timeoutMs: number): Promise<CallOutcome<RpcResponse<C>>> {
    const correlationId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        resolve({ ok: false, timedOut: true });
      }, timeoutMs);
      this.pending.set(correlationId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome as CallOutcome<RpcResponse<C>>);
      });
      this.channel.publish(`${this.prefix}crm.requests`, contract.name, Buffer.from(JSON.stringify({ payload, token })), {
        correlationId,
        replyTo: this.replyQueue,
        type: contract.name,
        contentType: 'application/json',
        expiration: String(timeoutMs),
      });
    });
  }

  /** The reply's data, or an error naming the call's outcome. */
  async data<C extends RpcContract>(contract: C, payload: RpcRequest<C>, token: string, timeoutMs = 30_000): Promise<RpcResponse<C>> {
    const outcome = await this.call(contract, payload, token, timeoutMs);
    if (!outcome.ok) throw new Error(`${contract.name} failed: ${JSON.stringify(outcome)}`);
    return outcome.data;
  }

  private onReply(msg: amqplib.ConsumeMessage): void {
    const settle = this.pending.get(msg.properties.correlationId);
    if (!settle) return;
    this.pending.delete(msg.properties.correlationId);
    settle(JSON.parse(msg.content.toString('utf8')) as CallOutcome);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
