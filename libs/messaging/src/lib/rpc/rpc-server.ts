import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { okJsonReplyText, okReplyText, parseRequest, parseResponse } from '@crm/contracts';
import { AmqpConnections } from '../amqp/amqp-connections';
import { CallerVerifier } from '../auth/caller-verifier';
import { declareRpcExchanges, declareRpcQueue, TopologyNames } from '../amqp/topology';
import { MessageContext } from '../context/message-context';
import { RpcCallContext } from '../handlers/rpc-call-context';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import type { MessageHandlers } from '../transport/message-handlers';
import { toErrorReply } from './error-reply';
import { JsonReply } from './json-reply';
import { requestTrace, type RpcRequestEnvelope } from './rpc-request-envelope';
import type { RpcReply } from './rpc.errors';
import { waitAtMost } from '../timing';
import { AckCoalescer } from '../amqp/ack-coalescer';

/**
 * Answers the service's commands and queries from its durable request queue. Replicas of the
 * service consume the same queue (competing consumers); the ack follows the reply.
 */
@Injectable()
export class RpcServer {
  private readonly logger = new Logger('RpcServer');
  private channel?: ChannelWrapper;
  private readonly consumerTags = new Map<Channel, string>();
  private readonly acks = new Map<Channel, AckCoalescer>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** The handlers Nest registered (the messaging transport): set by `start`. */
  private handlers?: MessageHandlers;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly context: MessageContext,
    private readonly metrics: MessagingMetrics,
    private readonly callers: CallerVerifier,
  ) {}

  async start(handlers: MessageHandlers): Promise<void> {
    this.handlers = handlers;
    if (!handlers.hasRpc() || !this.options.consume) return;
    this.channel = this.connections.consumer.createChannel({
      name: 'rpc-server',
      // amqp-connection-manager defaults to confirm channels; requests, replies and acks need no
      // publisher confirms, and each confirm is one more frame each way per call.
      confirm: false,
      setup: async (channel: Channel) => {
        await declareRpcExchanges(channel, this.names);
        await declareRpcQueue(channel, this.names.rpcQueue);
        await channel.bindQueue(this.names.rpcQueue, this.names.requestExchange, this.names.rpcBindingKey);
        await channel.bindQueue(this.names.rpcQueue, this.names.serviceRequestExchange, this.names.rpcServiceKey);
        await channel.prefetch(this.options.rpc.prefetch);
        const acks = new AckCoalescer(channel);
        this.acks.set(channel, acks);
        const { consumerTag } = await channel.consume(this.names.rpcQueue, (msg) => msg && void this.onRequest(channel, acks, msg), {
          noAck: false,
        });
        this.consumerTags.set(channel, consumerTag);
        channel.once('close', () => {
          this.consumerTags.delete(channel);
          this.acks.delete(channel);
        });
      },
    });
    if (
      !(await waitAtMost(
        this.channel.waitForConnect().then(() => true),
        this.options.startTimeoutMs,
      ))
    ) {
      this.logger.warn(`request consumer not connected after ${this.options.startTimeoutMs} ms; it starts once the broker is reachable`);
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    for (const [channel, tag] of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    if (this.inFlight > 0) {
      await waitAtMost(new Promise<void>((resolve) => this.idleWaiters.push(resolve)), timeoutMs);
    }
    for (const acks of this.acks.values()) acks.flush();
    await this.channel?.close().catch(() => undefined);
  }

  private async onRequest(channel: Channel, acks: AckCoalescer, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
    acks.received(msg);
    const type = msg.properties.type ?? 'unknown';
    const stopTimer = this.metrics.rpcServerDuration.startTimer({ service: this.options.service, type });
    let reply: RpcReply | JsonReply;
    let envelope: RpcRequestEnvelope | undefined;
    try {
      envelope = JSON.parse(msg.content.toString('utf8')) as RpcRequestEnvelope;
      reply = await this.handle(msg, type, envelope);
    } catch (error) {
      // Handlers' errors arrive as typed replies already (RpcErrorFilter); this catches the rest.
      reply = { ok: false, error: toErrorReply(error, { type, correlationId: requestTrace(envelope, msg.properties.headers).correlationId }) };
    }
    stopTimer({ outcome: reply instanceof JsonReply || reply.ok ? 'ok' : reply.error.code });
    try {
      const { replyTo, correlationId } = msg.properties;
      // Through the reply exchange (the caller's reply queue is bound by its name), not the
      // default exchange: a service may not write to arbitrary queues.
      if (replyTo) channel.publish(this.names.replyExchange, replyTo, Buffer.from(replyText(reply)), { correlationId, contentType: 'application/json' });
      acks.completed(msg);
    } catch (error) {
      this.logger.warn(`reply to ${type} not sent: ${(error as Error).message}`);
    } finally {
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async handle(msg: ConsumeMessage, type: string, envelope: RpcRequestEnvelope): Promise<RpcReply | JsonReply> {
    // The caller first: nothing about an unauthenticated request is looked at further.
    const actor = await this.callers.verify(envelope.token);
    const handler = this.handlers?.rpc(type);
    if (!handler) return { ok: false, error: { code: 'UNKNOWN_MESSAGE', message: `${this.options.service} does not handle ${type}` } };
    const request = parseRequest(handler.contract, envelope.payload);
    const trace = requestTrace(envelope, msg.properties.headers);
    const correlationId = trace.correlationId ?? msg.properties.correlationId;
    const token = envelope.token as string;
    return this.context.run({ correlationId, traceparent: trace.traceparent, actor, token }, async () => {
      // The request's id is the caller's (the same on a redelivery; its own messageId when it chose
      // one to retry with, CallOptions.requestId), scoped to the verified caller: nobody can claim
      // or read another caller's stored reply (command inbox).
      const requestId = `${actor.tenantId}/${actor.userId}/${msg.properties.messageId ?? msg.properties.correlationId}`;
      const result = await handler.invoke(request, new RpcCallContext(actor, correlationId, requestId, type));
      if (result instanceof JsonReply) return result;
      try {
        return { ok: true, data: parseResponse(handler.contract, result) };
      } catch (error) {
        // A reply that breaks its own contract is this service's bug, not the caller's.
        throw new Error((error as Error).message);
      }
    });
  }
}

/** A reply in the bus's reply layout (okReplyText: a record's version goes beside its data, for the caller's ETag). */
function replyText(reply: RpcReply | JsonReply): string {
  if (reply instanceof JsonReply) return okJsonReplyText(reply.json, reply.version);
  return reply.ok ? okReplyText(reply.data) : JSON.stringify(reply);
}
